using IdentityBroker.Mapping;
using IdentityBroker.Pools;

namespace IdentityBroker.Tests.Mapping;

/// <summary>A valid pool with default roles and helpers to add one mapping and build logins.</summary>
internal static class MappingTestKit
{
    public const string PoolId = "us-east-1:11111111-2222-3333-4444-555555555555";
    public const string UserPool = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123";
    public const string UserPoolKey = UserPool + ":client1";
    public const string Oidc = "login.example.com";
    public const string SamlArn = "arn:aws:iam::000000000000:saml-provider/corp";
    public const string AuthRole = "arn:aws:iam::000000000000:role/Auth";
    public const string GuestRole = "arn:aws:iam::000000000000:role/Guest";
    public const string Admin = "arn:aws:iam::000000000000:role/Admin";
    public const string Editor = "arn:aws:iam::000000000000:role/Editor";
    public const string Viewer = "arn:aws:iam::000000000000:role/Viewer";

    public static IdentityPool Pool(IReadOnlyDictionary<string, RoleMapping>? mappings = null) => new()
    {
        IdentityPoolId = PoolId,
        IdentityPoolName = "Mapping",
        AllowUnauthenticatedIdentities = true,
        Roles = new Dictionary<string, string> { ["authenticated"] = AuthRole, ["unauthenticated"] = GuestRole },
        RoleMappings = mappings,
    };

    public static IdentityPool WithMapping(string key, RoleMapping mapping) =>
        Pool(new Dictionary<string, RoleMapping> { [key] = mapping });

    public static RoleMapping Rules(string ambiguous, params MappingRule[] rules) =>
        new() { Type = "Rules", AmbiguousRoleResolution = ambiguous, RulesConfiguration = new RulesConfiguration { Rules = rules } };

    public static RoleMapping Token(string ambiguous) => new() { Type = "Token", AmbiguousRoleResolution = ambiguous };

    public static MappingRule Rule(string claim, string matchType, string value, string role) =>
        new() { Claim = claim, MatchType = matchType, Value = value, RoleARN = role };

    /// <summary>A login with string or string-array claims.</summary>
    public static MappingLogin Login(string provider, params (string Claim, string[] Values)[] claims) =>
        new(provider, claims.ToDictionary(c => c.Claim, c => (IReadOnlyList<string>)c.Values, StringComparer.Ordinal));

    public static (string, string[]) C(string claim, params string[] values) => (claim, values);

    public static RoleDecision Resolve(IdentityPool pool, string? custom, params MappingLogin[] logins) =>
        RoleResolver.Resolve(pool, authenticated: true, logins, custom);
}
