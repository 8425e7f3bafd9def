namespace IdentityBroker.UserPools.OAuth;

/// <summary>The scopes Cognito's authorization server knows besides resource-server scopes (<c>&lt;identifier&gt;/&lt;name&gt;</c>).</summary>
public static class OAuthScopes
{
    public const string OpenId = "openid";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Profile = "profile";
    public const string Admin = Tokens.TokenGrant.AdminScope;

    public static readonly IReadOnlySet<string> Standard = new HashSet<string>(StringComparer.Ordinal) { OpenId, Email, Phone, Profile, Admin };

    public static bool HasOpenId(IReadOnlyList<string> scopes) => scopes.Contains(OpenId, StringComparer.Ordinal);

    /// <summary>A custom scope <c>&lt;identifier&gt;/&lt;name&gt;</c>: the last <c>/</c> separates them (identifiers are often URLs).</summary>
    public static (string Identifier, string Name)? SplitCustom(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var slash = scope.LastIndexOf('/');
        return slash > 0 && slash < scope.Length - 1 ? (scope[..slash], scope[(slash + 1)..]) : null;
    }
}
