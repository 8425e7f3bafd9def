namespace IdentityBroker.UserPools.Federation;

/// <summary>ProviderUserIdentifierType: every member optional in the model; each operation says which it needs.</summary>
public sealed record ProviderUserId(string? ProviderName, string? AttributeName, string? AttributeValue)
{
    /// <summary>The ProviderName of the pool's own users.</summary>
    public const string Cognito = "Cognito";

    public override string ToString() => $"ProviderUserId {{ ProviderName = {ProviderName} }}";
}

public sealed record AdminLinkProviderForUser(string UserPoolId, ProviderUserId DestinationUser, ProviderUserId SourceUser);

public sealed record AdminDisableProviderForUser(string UserPoolId, ProviderUserId User);
