namespace IdentityBroker.Credentials;

/// <summary><c>Broker:Credentials</c> (docs/credentials.md): how long the credentials of GetCredentialsForIdentity last.</summary>
public sealed class CredentialsOptions
{
    public const string Section = "Broker:Credentials";

    /// <summary>
    /// Credentials never outlive the presented login (its <see cref="Federation.ValidatedLogin.ExpiresAt"/>); a login
    /// with less than STS's 900 s left is refused. Off by default, as in Cognito (one hour whatever the login's expiry).
    /// </summary>
    public bool CapAtLoginExpiry { get; set; }
}
