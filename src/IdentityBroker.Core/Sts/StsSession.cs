namespace IdentityBroker.Sts;

/// <summary>
/// What a set of temporary credentials stands for; carried inside the session token itself, so any replica can read it.
/// These are the inputs of the session's effective policy: the role's policies ∩ <see cref="Policy"/> (and the managed
/// <see cref="PolicyArns"/>), with <see cref="Tags"/> as <c>aws:PrincipalTag/*</c>.
/// </summary>
public sealed record StsSession
{
    public required string AccessKeyId { get; init; }

    public required string RoleArn { get; init; }

    public required string RoleId { get; init; }

    public required string SessionName { get; init; }

    public required DateTimeOffset Expiration { get; init; }

    public string? Policy { get; init; }

    public IReadOnlyList<string> PolicyArns { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> TransitiveTagKeys { get; init; } = [];

    public string? SourceIdentity { get; init; }

    /// <summary>When STS issued the session (to the millisecond): revocations refuse sessions issued before their time.</summary>
    public DateTimeOffset IssuedAt { get; init; }

    /// <summary>
    /// The pool, identity and <c>amr</c> of the broker token the session was assumed with; null for a session from any
    /// other issuer's token (no pool's revocation covers it).
    /// </summary>
    public Revocations.SessionScope? BrokerScope { get; init; }

    public string RoleName => RoleArn[(RoleArn.LastIndexOf('/') + 1)..];

    public string AccountId => RoleArn.Split(':')[4];

    /// <summary><c>arn:aws:sts::&lt;acct&gt;:assumed-role/&lt;role name&gt;/&lt;session&gt;</c> (the role's path is not part of it).</summary>
    public string AssumedRoleArn => $"arn:aws:sts::{AccountId}:assumed-role/{RoleName}/{SessionName}";

    /// <summary>The AssumedRoleId and GetCallerIdentity UserId: <c>&lt;RoleId&gt;:&lt;session&gt;</c>.</summary>
    public string UserId => $"{RoleId}:{SessionName}";
}
