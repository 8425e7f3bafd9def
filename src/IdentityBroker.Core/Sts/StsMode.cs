namespace IdentityBroker.Sts;

/// <summary><c>Broker:Sts:Mode</c>: which STS issues the AWS credentials.</summary>
public enum StsMode
{
    /// <summary>The broker's own STS, with its own IAM roles.</summary>
    Embedded,

    /// <summary>AWS STS (or any STS-compatible <c>Broker:Sts:ServiceUrl</c>) through AWSSDK.SecurityToken; roles live there.</summary>
    Aws,
}
