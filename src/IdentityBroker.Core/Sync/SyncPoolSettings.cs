namespace IdentityBroker.Sync;

/// <summary>SetIdentityPoolConfiguration's PushSync, as stored.</summary>
public sealed record SyncPushSettings(IReadOnlyList<string>? ApplicationArns, string? RoleArn);

/// <summary>SetIdentityPoolConfiguration's CognitoStreams, as stored; <see cref="StreamingStatus"/> is ENABLED or DISABLED.</summary>
public sealed record SyncStreamSettings(string? StreamName, string? RoleArn, string? StreamingStatus)
{
    public const string Enabled = "ENABLED";

    public bool IsEnabled => string.Equals(StreamingStatus, Enabled, StringComparison.Ordinal);
}

/// <summary>A pool's Cognito Sync configuration: push sync, streams and Cognito Events (event name → function ARN).</summary>
public sealed record SyncPoolSettings
{
    public required string IdentityPoolId { get; init; }

    public SyncPushSettings? PushSync { get; init; }

    public SyncStreamSettings? CognitoStreams { get; init; }

    public IReadOnlyDictionary<string, string> Events { get; init; } = new Dictionary<string, string>();

    /// <summary>True when committed changes are appended to the pool's sync stream.</summary>
    public bool Streaming => CognitoStreams?.IsEnabled == true;
}
