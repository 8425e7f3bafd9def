using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Validation;
using static IdentityBroker.Tests.Validation.ValidRequests;

namespace IdentityBroker.Tests.Validation;

[TestFixture]
public sealed class RequestValidationTests
{
    private const string RegionGuid = @"[\w-]+:[0-9a-f-]+";
    private const string One = "1 validation error detected: ";

    private static IEnumerable<TestCaseData> Baselines()
    {
        yield return Named("CreateIdentityPool", () => Check(CreateIdentityPool()));
        yield return Named("UpdateIdentityPool", () => Check(UpdateIdentityPool()));
        yield return Named("IdentityPoolId only", () => Check(PoolIdOnly()));
        yield return Named("ListIdentityPools", () => Check(ListIdentityPools()));
        yield return Named("GetId", () => Check(GetId()));
        yield return Named("GetId without logins or account", () => Check(GetId(), r => (r.Logins, r.AccountId) = (null, null)));
        yield return Named("GetOpenIdToken", () => Check(GetOpenIdToken()));
        yield return Named("GetCredentialsForIdentity", () => Check(GetCredentialsForIdentity()));
        yield return Named("IdentityId only", () => Check(IdentityIdOnly()));
        yield return Named("ListIdentities", () => Check(ListIdentities()));
        yield return Named("DeleteIdentities", () => Check(DeleteIdentities()));
        yield return Named("SetIdentityPoolRoles", () => Check(SetIdentityPoolRoles()));
        yield return Named("Claim of an emoji (Java matches per code point)", () =>
            Check(SetIdentityPoolRoles(), r => r.RoleMappings![UserPoolProvider + ":client_1"] = Rules(ValidRequests.Rule() with { Claim = "\U0001F600" })));
        yield return Named("Pool name with Java whitespace \\x0B", () => Check(CreateIdentityPool(), r => r.IdentityPoolName = "a\u000Bb\tc"));
        yield return Named("Next token with a no-break space (not Java \\s)", () => Check(ListIdentityPools(), r => r.NextToken = "a\u00A0b"));
        yield return Named("Exactly 10 logins", () => Check(GetId(), r => r.Logins = Logins(10)));
        yield return Named("Exactly 60 identities to delete", () => Check(DeleteIdentities(), r => r.IdentityIdsToDelete = Ids(60)));
    }

    private static IEnumerable<TestCaseData> Mutations()
    {
        // Shapes of identifiers (Java semantics: ASCII \w, whole-value match).
        yield return Case("GetId pool id missing", () => Check(GetId(), r => r.IdentityPoolId = null),
            One + "Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null");
        yield return Case("GetId pool id with a slash", () => Check(GetId(), r => r.IdentityPoolId = "us-east-1/abc"),
            One + $"Value 'us-east-1/abc' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: {RegionGuid}");
        yield return Case("GetId pool id empty (length and pattern)", () => Check(GetId(), r => r.IdentityPoolId = string.Empty),
            "2 validation errors detected: Value '' at 'identityPoolId' failed to satisfy constraint: Member must have length greater than or equal to 1; "
            + $"Value '' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: {RegionGuid}");
        yield return Case("GetId pool id 56 chars", () => Check(GetId(), r => r.IdentityPoolId = "us-east-1:" + new string('a', 46)),
            One + $"Value 'us-east-1:{new string('a', 46)}' at 'identityPoolId' failed to satisfy constraint: Member must have length less than or equal to 55");
        yield return Case("GetId pool id with a trailing newline", () => Check(GetId(), r => r.IdentityPoolId = PoolId + "\n"),
            One + $"Value '{PoolId}\n' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: {RegionGuid}");
        yield return Case("GetId pool id with a non-ASCII letter", () => Check(GetId(), r => r.IdentityPoolId = "eu-wést-1:abc"),
            One + $"Value 'eu-wést-1:abc' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: {RegionGuid}");
        yield return Case("GetId pool id with upper-case hex", () => Check(GetId(), r => r.IdentityPoolId = "us-east-1:ABC"),
            One + $"Value 'us-east-1:ABC' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: {RegionGuid}");
        yield return Case("DescribeIdentityPool with a user pool id", () => Check(PoolIdOnly(), r => r.IdentityPoolId = "us-east-1_Example"),
            One + $"Value 'us-east-1_Example' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: {RegionGuid}");
        yield return Case("GetId account id with letters", () => Check(GetId(), r => r.AccountId = "12a"),
            One + @"Value '12a' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \d+");
        yield return Case("GetId account id with Arabic-Indic digits", () => Check(GetId(), r => r.AccountId = "١٢٣"),
            One + @"Value '١٢٣' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \d+");
        yield return Case("GetId account id 16 digits", () => Check(GetId(), r => r.AccountId = "1234567890123456"),
            One + "Value '1234567890123456' at 'accountId' failed to satisfy constraint: Member must have length less than or equal to 15");
        yield return Case("GetOpenIdToken identity id missing", () => Check(GetOpenIdToken(), r => r.IdentityId = null),
            One + "Value null at 'identityId' failed to satisfy constraint: Member must not be null");
        yield return Case("DescribeIdentity identity id without colon", () => Check(IdentityIdOnly(), r => r.IdentityId = "abc"),
            One + $"Value 'abc' at 'identityId' failed to satisfy constraint: Member must satisfy regular expression pattern: {RegionGuid}");
        yield return Case("GetCredentials custom role ARN of 19 chars", () => Check(GetCredentialsForIdentity(), r => r.CustomRoleArn = "arn:aws:iam::1:role"),
            One + "Value 'arn:aws:iam::1:role' at 'customRoleArn' failed to satisfy constraint: Member must have length greater than or equal to 20");

        // Logins: sensitive values, never echoed.
        yield return Case("GetId 11 logins", () => Check(GetId(), r => r.Logins = Logins(11)),
            One + "Value at 'logins' failed to satisfy constraint: Member must have length less than or equal to 10");
        yield return Case("GetCredentials empty token", () => Check(GetCredentialsForIdentity(), r => r.Logins![UserPoolProvider] = string.Empty),
            One + "Value at 'logins' failed to satisfy constraint: Map value must satisfy constraint: "
            + "[Member must have length less than or equal to 50000, Member must have length greater than or equal to 1]");
        yield return Case("GetOpenIdToken empty provider name", () => Check(GetOpenIdToken(), r => r.Logins![string.Empty] = SecretToken),
            One + "Value at 'logins' failed to satisfy constraint: Map keys must satisfy constraint: "
            + "[Member must have length less than or equal to 128, Member must have length greater than or equal to 1]");
        yield return Case("GetCredentials empty identity id and empty token", () => Check(GetCredentialsForIdentity(), r =>
            {
                r.IdentityId = string.Empty;
                r.Logins![UserPoolProvider] = string.Empty;
            }),
            "3 validation errors detected: Value '' at 'identityId' failed to satisfy constraint: Member must have length greater than or equal to 1; "
            + $"Value '' at 'identityId' failed to satisfy constraint: Member must satisfy regular expression pattern: {RegionGuid}; "
            + "Value at 'logins' failed to satisfy constraint: Map value must satisfy constraint: "
            + "[Member must have length less than or equal to 50000, Member must have length greater than or equal to 1]");

        // Pool configuration.
        yield return Case("Create name and allowUnauthenticated missing", () => Check(CreateIdentityPool(), r => (r.IdentityPoolName, r.AllowUnauthenticatedIdentities) = (null, null)),
            "2 validation errors detected: Value null at 'identityPoolName' failed to satisfy constraint: Member must not be null; "
            + "Value null at 'allowUnauthenticatedIdentities' failed to satisfy constraint: Member must not be null");
        yield return Case("Create name with a slash", () => Check(CreateIdentityPool(), r => r.IdentityPoolName = "a/b"),
            One + @"Value 'a/b' at 'identityPoolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+");
        yield return Case("Create name of 129 chars", () => Check(CreateIdentityPool(), r => r.IdentityPoolName = new string('n', 129)),
            One + $"Value '{new string('n', 129)}' at 'identityPoolName' failed to satisfy constraint: Member must have length less than or equal to 128");
        yield return Case("Create app id with a trailing space", () => Check(CreateIdentityPool(), r => r.SupportedLoginProviders = new() { ["accounts.google.com"] = "app-id " }),
            One + "Value '{accounts.google.com=app-id }' at 'supportedLoginProviders' failed to satisfy constraint: Map value must satisfy constraint: "
            + @"[Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\w.;_/-]+]");
        yield return Case("Create 11 login providers", () => Check(CreateIdentityPool(), r => r.SupportedLoginProviders = Enumerable.Range(0, 11).ToDictionary(i => $"p{i}", i => "a")),
            One + "Value '{p0=a, p1=a, p2=a, p3=a, p4=a, p5=a, p6=a, p7=a, p8=a, p9=a, p10=a}' at 'supportedLoginProviders' failed to satisfy constraint: Member must have length less than or equal to 10");
        yield return Case("Create developer provider with a space", () => Check(CreateIdentityPool(), r => r.DeveloperProviderName = "dev provider"),
            One + @"Value 'dev provider' at 'developerProviderName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w._-]+");
        yield return Case("Create OIDC ARN too short", () => Check(CreateIdentityPool(), r => r.OpenIdConnectProviderARNs = ["arn:aws:iam::1:oidc", RoleArn]),
            One + $"Value '[arn:aws:iam::1:oidc, {RoleArn}]' at 'openIdConnectProviderARNs' failed to satisfy constraint: Member must satisfy constraint: "
            + "[Member must have length less than or equal to 2048, Member must have length greater than or equal to 20]");
        yield return Case("Create SAML ARN too short", () => Check(CreateIdentityPool(), r => r.SamlProviderARNs = ["arn"]),
            One + "Value '[arn]' at 'samlProviderARNs' failed to satisfy constraint: Member must satisfy constraint: "
            + "[Member must have length less than or equal to 2048, Member must have length greater than or equal to 20]");
        yield return Case("Create user pool client id with a dash", () => Check(CreateIdentityPool(), r => r.CognitoIdentityProviders![0] = r.CognitoIdentityProviders[0] with { ClientId = "client-1" }),
            One + @"Value 'client-1' at 'cognitoIdentityProviders.1.member.clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w_]+");
        yield return Case("Update second user pool provider name with a space", () => Check(UpdateIdentityPool(), r => r.CognitoIdentityProviders!.Add(new CognitoIdentityProvider { ProviderName = "a b", ClientId = "c" })),
            One + @"Value 'a b' at 'cognitoIdentityProviders.2.member.providerName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w._:/-]+");
        yield return Case("Update null user pool provider", () => Check(UpdateIdentityPool(), r => r.CognitoIdentityProviders!.Add(null!)),
            One + "Value null at 'cognitoIdentityProviders.2.member' failed to satisfy constraint: Member must not be null");
        yield return Case("Create empty tag key", () => Check(CreateIdentityPool(), r => r.IdentityPoolTags = new() { [string.Empty] = "v" }),
            One + "Value '{=v}' at 'identityPoolTags' failed to satisfy constraint: Map keys must satisfy constraint: "
            + "[Member must have length less than or equal to 128, Member must have length greater than or equal to 1]");
        yield return Case("Update pool id missing", () => Check(UpdateIdentityPool(), r => r.IdentityPoolId = null),
            One + "Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null");
        yield return Case("Update allowUnauthenticated missing", () => Check(UpdateIdentityPool(), r => r.AllowUnauthenticatedIdentities = null),
            One + "Value null at 'allowUnauthenticatedIdentities' failed to satisfy constraint: Member must not be null");

        // Paging.
        yield return Case("ListIdentityPools max results 0", () => Check(ListIdentityPools(), r => r.MaxResults = 0),
            One + "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");
        yield return Case("ListIdentityPools max results 61", () => Check(ListIdentityPools(), r => r.MaxResults = 61),
            One + "Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60");
        yield return Case("ListIdentityPools max results missing", () => Check(ListIdentityPools(), r => r.MaxResults = null),
            One + "Value null at 'maxResults' failed to satisfy constraint: Member must not be null");
        yield return Case("ListIdentityPools next token with a space", () => Check(ListIdentityPools(), r => r.NextToken = "a b"),
            One + @"Value 'a b' at 'nextToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [\S]+");
        yield return Case("ListIdentities max results 61 and pool missing", () => Check(ListIdentities(), r => (r.MaxResults, r.IdentityPoolId) = (61, null)),
            "2 validation errors detected: Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null; "
            + "Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60");

        // DeleteIdentities.
        yield return Case("DeleteIdentities missing", () => Check(DeleteIdentities(), r => r.IdentityIdsToDelete = null),
            One + "Value null at 'identityIdsToDelete' failed to satisfy constraint: Member must not be null");
        yield return Case("DeleteIdentities empty", () => Check(DeleteIdentities(), r => r.IdentityIdsToDelete = []),
            One + "Value '[]' at 'identityIdsToDelete' failed to satisfy constraint: Member must have length greater than or equal to 1");
        yield return Case("DeleteIdentities bad member", () => Check(DeleteIdentities(), r => r.IdentityIdsToDelete!.Add("bad")),
            One + $"Value '[{IdentityId}, bad]' at 'identityIdsToDelete' failed to satisfy constraint: Member must satisfy constraint: "
            + $"[Member must have length less than or equal to 55, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: {RegionGuid}]");

        // SetIdentityPoolRoles.
        yield return Case("SetRoles roles missing", () => Check(SetIdentityPoolRoles(), r => r.Roles = null),
            One + "Value null at 'roles' failed to satisfy constraint: Member must not be null");
        yield return Case("SetRoles unknown role type", () => Check(SetIdentityPoolRoles(), r => r.Roles = new() { ["authenticated"] = RoleArn, ["invalid"] = RoleArn }),
            One + $"Value '{{authenticated={RoleArn}, invalid={RoleArn}}}' at 'roles' failed to satisfy constraint: Map keys must satisfy constraint: "
            + "[Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: (un)?authenticated]");
        yield return Case("SetRoles role ARN too short", () => Check(SetIdentityPoolRoles(), r => r.Roles = new() { ["authenticated"] = "MyRole" }),
            One + "Value '{authenticated=MyRole}' at 'roles' failed to satisfy constraint: Map value must satisfy constraint: "
            + "[Member must have length less than or equal to 2048, Member must have length greater than or equal to 20]");
        yield return Case("SetRoles unknown mapping type", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings!["graph.facebook.com"] = new RoleMapping { Type = "Foo" }),
            One + "Value 'Foo' at 'roleMappings.graph.facebook.com.member.type' failed to satisfy constraint: Member must satisfy enum value set: [Token, Rules]");
        yield return Case("SetRoles mapping type is case-sensitive", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings!["graph.facebook.com"] = new RoleMapping { Type = "token" }),
            One + "Value 'token' at 'roleMappings.graph.facebook.com.member.type' failed to satisfy constraint: Member must satisfy enum value set: [Token, Rules]");
        yield return Case("SetRoles mapping type missing", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings!["graph.facebook.com"] = new RoleMapping { AmbiguousRoleResolution = "Deny" }),
            One + "Value null at 'roleMappings.graph.facebook.com.member.type' failed to satisfy constraint: Member must not be null");
        yield return Case("SetRoles unknown ambiguous resolution", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings!["graph.facebook.com"] = new RoleMapping { Type = "Token", AmbiguousRoleResolution = "Allow" }),
            One + "Value 'Allow' at 'roleMappings.graph.facebook.com.member.ambiguousRoleResolution' failed to satisfy constraint: Member must satisfy enum value set: [AuthenticatedRole, Deny]");
        yield return Case("SetRoles rules missing", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings!["graph.facebook.com"] = new RoleMapping { Type = "Rules", RulesConfiguration = new RulesConfiguration() }),
            One + "Value null at 'roleMappings.graph.facebook.com.member.rulesConfiguration.rules' failed to satisfy constraint: Member must not be null");
        yield return Case("SetRoles rules empty", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings!["graph.facebook.com"] = Rules()),
            One + "Value at 'roleMappings.graph.facebook.com.member.rulesConfiguration.rules' failed to satisfy constraint: Member must have length greater than or equal to 1");
        yield return Case("SetRoles 401 rules", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings!["graph.facebook.com"] = Rules([.. Enumerable.Repeat(ValidRequests.Rule(), 401)])),
            One + "Value at 'roleMappings.graph.facebook.com.member.rulesConfiguration.rules' failed to satisfy constraint: Member must have length less than or equal to 400");
        yield return Case("SetRoles second rule claim with a space", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings!["graph.facebook.com"] = Rules(ValidRequests.Rule(), ValidRequests.Rule() with { Claim = "my claim" })),
            One + @"Value 'my claim' at 'roleMappings.graph.facebook.com.member.rulesConfiguration.rules.2.member.claim' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+");
        yield return Case("SetRoles claim of 65 chars", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings!["graph.facebook.com"] = Rules(ValidRequests.Rule() with { Claim = new string('c', 65) })),
            One + $"Value '{new string('c', 65)}' at 'roleMappings.graph.facebook.com.member.rulesConfiguration.rules.1.member.claim' failed to satisfy constraint: Member must have length less than or equal to 64");
        yield return Case("SetRoles unknown match type", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings!["graph.facebook.com"] = Rules(ValidRequests.Rule() with { MatchType = "Like" })),
            One + "Value 'Like' at 'roleMappings.graph.facebook.com.member.rulesConfiguration.rules.1.member.matchType' failed to satisfy constraint: Member must satisfy enum value set: [Equals, Contains, StartsWith, NotEqual]");
        yield return Case("SetRoles rule without value and role", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings!["graph.facebook.com"] = Rules(ValidRequests.Rule() with { Value = null, RoleARN = null })),
            "2 validation errors detected: Value null at 'roleMappings.graph.facebook.com.member.rulesConfiguration.rules.1.member.value' failed to satisfy constraint: Member must not be null; "
            + "Value null at 'roleMappings.graph.facebook.com.member.rulesConfiguration.rules.1.member.roleARN' failed to satisfy constraint: Member must not be null");
        yield return Case("SetRoles 11 mappings", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings = Enumerable.Range(0, 11).ToDictionary(i => $"p{i}", _ => new RoleMapping { Type = "Token" })),
            One + "Value at 'roleMappings' failed to satisfy constraint: Member must have length less than or equal to 10");
        yield return Case("SetRoles empty mapping key", () => Check(SetIdentityPoolRoles(), r => r.RoleMappings![string.Empty] = new RoleMapping { Type = "Token" }),
            One + "Value at 'roleMappings' failed to satisfy constraint: Map keys must satisfy constraint: "
            + "[Member must have length less than or equal to 128, Member must have length greater than or equal to 1]");
    }

    [TestCaseSource(nameof(Baselines))]
    public void A_request_satisfying_the_model_passes(Func<AwsError?> validate) => Assert.That(validate(), Is.Null);

    [TestCaseSource(nameof(Mutations))]
    public void One_broken_member_is_reported_as_AWS_words_it(Func<AwsError?> validate, string expected)
    {
        var error = validate();

        Assert.That(error, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(error!.Type, Is.EqualTo("ValidationException"));
            Assert.That(error.StatusCode, Is.EqualTo(400));
            Assert.That(error.Message, Is.EqualTo(expected));
        });
    }

    private static IEnumerable<TestCaseData> TokenLeaks()
    {
        yield return Named("GetId 11 logins", () => Check(GetId(), r => r.Logins = Logins(11)));
        yield return Named("GetId bad key beside a token", () => Check(GetId(), r => r.Logins![new string('k', 129)] = SecretToken));
        yield return Named("GetOpenIdToken empty token beside a token", () => Check(GetOpenIdToken(), r => r.Logins!["graph.facebook.com"] = string.Empty));
        yield return Named("GetCredentials 50001-char token", () => Check(GetCredentialsForIdentity(), r => r.Logins![UserPoolProvider] = SecretToken + new string('x', 50001)));
        yield return Named("GetCredentials bad identity beside a token", () => Check(GetCredentialsForIdentity(), r => r.IdentityId = "bad"));
    }

    [TestCaseSource(nameof(TokenLeaks))]
    public void Login_tokens_are_never_echoed(Func<AwsError?> validate)
    {
        var error = validate();

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Message, Does.Not.Contain("SECRET-PAYLOAD"));
    }

    [Test]
    public void Huge_values_are_echoed_capped()
    {
        var error = Check(CreateIdentityPool(), r => r.IdentityPoolName = new string('n', 100_000) + "/");

        Assert.That(error, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith($"2 validation errors detected: Value '{new string('n', 256)}...' at 'identityPoolName'"));
            Assert.That(error.Message, Has.Length.LessThan(1_000));
        });
    }

    [Test]
    public void Huge_lists_are_echoed_capped()
    {
        var error = Check(DeleteIdentities(), r => r.IdentityIdsToDelete = Ids(61));

        Assert.That(error, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.EndWith("...' at 'identityIdsToDelete' failed to satisfy constraint: Member must have length less than or equal to 60"));
            Assert.That(error.Message, Has.Length.LessThan(500));
        });
    }

    [Test]
    public void Validation_is_repeatable_on_the_cached_validator()
    {
        var first = Check(GetId(), r => r.IdentityPoolId = "x");
        var second = Check(GetId(), r => r.IdentityPoolId = "x");

        Assert.That(second, Is.EqualTo(first));
    }

    private static AwsError? Check<T>(T request, Action<T>? breakIt = null)
        where T : class, IModelRequest<T>
    {
        breakIt?.Invoke(request);
        return RequestValidation.Validate(request);
    }

    private static RoleMapping Rules(params MappingRule[] rules) =>
        new() { Type = "Rules", RulesConfiguration = new RulesConfiguration { Rules = [.. rules] } };

    private static Dictionary<string, string> Logins(int count) =>
        Enumerable.Range(0, count).ToDictionary(i => $"provider{i}.example.com", _ => SecretToken);

    private static List<string> Ids(int count) =>
        [.. Enumerable.Range(0, count).Select(i => $"us-east-1:{i:x8}-0000-0000-0000-000000000000")];

    private static TestCaseData Named(string name, Func<AwsError?> validate) => new TestCaseData(validate).SetName(name);

    private static TestCaseData Case(string name, Func<AwsError?> validate, string expected) =>
        new TestCaseData(validate, expected).SetName(name);
}
