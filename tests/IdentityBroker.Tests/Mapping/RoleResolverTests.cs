using IdentityBroker.Mapping;
using static IdentityBroker.Tests.Mapping.MappingTestKit;

namespace IdentityBroker.Tests.Mapping;

public sealed class RoleResolverTests
{
    [Test]
    public void Guest_gets_the_unauthenticated_role()
    {
        var decision = RoleResolver.Resolve(Pool(), authenticated: false, [], null);

        Assert.That((decision.RoleArn, decision.Source), Is.EqualTo((GuestRole, RoleSource.DefaultUnauthenticated)));
    }

    [Test]
    public void Guest_without_an_unauthenticated_role_is_an_invalid_configuration()
    {
        var pool = Pool() with { Roles = new Dictionary<string, string> { ["authenticated"] = AuthRole } };

        var decision = RoleResolver.Resolve(pool, authenticated: false, [], null);

        Assert.That(decision.Error?.Type, Is.EqualTo("InvalidIdentityPoolConfigurationException"));
    }

    [Test]
    public void Unmapped_provider_gets_the_authenticated_role()
    {
        var decision = Resolve(Pool(), null, Login(Oidc, C("sub", "u1")));

        Assert.That((decision.RoleArn, decision.Source, decision.MappingKey), Is.EqualTo((AuthRole, RoleSource.DefaultAuthenticated, (string?)null)));
    }

    [Test]
    public void CustomRoleArn_other_than_the_default_role_is_forbidden()
    {
        var decision = Resolve(Pool(), Admin, Login(Oidc, C("sub", "u1")));

        Assert.That(decision.Error?.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(decision.Error?.Message, Is.EqualTo($"Access to Role '{Admin}' is forbidden."));
    }

    // Rules: each MatchType, matching and not matching.
    [TestCase("Equals", "admin", "admin", true)]
    [TestCase("Equals", "admin", "Admin", false)]
    [TestCase("Equals", "admin", "administrator", false)]
    [TestCase("Contains", "min", "admin", true)]
    [TestCase("Contains", "xyz", "admin", false)]
    [TestCase("StartsWith", "adm", "admin", true)]
    [TestCase("StartsWith", "min", "admin", false)]
    [TestCase("NotEqual", "guest", "admin", true)]
    [TestCase("NotEqual", "admin", "admin", false)]
    public void Each_match_type(string matchType, string ruleValue, string claimValue, bool matches)
    {
        var pool = WithMapping(Oidc, Rules("Deny", Rule("role", matchType, ruleValue, Admin)));

        var decision = Resolve(pool, null, Login(Oidc, C("role", claimValue)));

        Assert.That(decision.RoleArn, Is.EqualTo(matches ? Admin : null));
        Assert.That(decision.Source, Is.EqualTo(matches ? RoleSource.RuleMatch : RoleSource.AmbiguousDenied));
    }

    [Test]
    public void First_matching_rule_wins_and_is_reported_by_index()
    {
        var pool = WithMapping(Oidc, Rules("Deny",
            Rule("dept", "Equals", "sales", Viewer),
            Rule("dept", "StartsWith", "eng", Editor),
            Rule("dept", "Contains", "engineering", Admin)));

        var decision = Resolve(pool, null, Login(Oidc, C("dept", "engineering")));

        Assert.That((decision.RoleArn, decision.RuleIndex, decision.MappingKey), Is.EqualTo((Editor, (int?)1, Oidc)));
        Assert.That(decision.Reason, Does.Contain("rule 2"));
    }

    [Test]
    public void NotEqual_with_a_missing_claim_is_skipped()
    {
        var pool = WithMapping(Oidc, Rules("Deny", Rule("team", "NotEqual", "red", Viewer), Rule("sub", "StartsWith", "u", Editor)));

        var decision = Resolve(pool, null, Login(Oidc, C("sub", "u1")));

        Assert.That((decision.RoleArn, decision.RuleIndex), Is.EqualTo((Editor, (int?)1)));
    }

    [Test]
    public void Multi_valued_claim_matches_when_any_value_matches()
    {
        var pool = WithMapping(UserPoolKey, Rules("Deny", Rule("cognito:groups", "Equals", "admins", Admin)));

        var decision = Resolve(pool, null, Login(UserPool, C("aud", "client1"), C("cognito:groups", "users", "admins")));

        Assert.That(decision.RoleArn, Is.EqualTo(Admin));
    }

    [Test]
    public void Multi_valued_claim_NotEqual_matches_only_when_no_value_equals()
    {
        var pool = WithMapping(UserPoolKey, Rules("Deny", Rule("cognito:groups", "NotEqual", "admins", Viewer)));

        var member = Resolve(pool, null, Login(UserPool, C("aud", "client1"), C("cognito:groups", "users", "admins")));
        var other = Resolve(pool, null, Login(UserPool, C("aud", "client1"), C("cognito:groups", "users", "staff")));

        Assert.That(member.RoleArn, Is.Null);
        Assert.That(other.RoleArn, Is.EqualTo(Viewer));
    }

    [Test]
    public void No_rule_matching_with_Deny_gives_cognito_error()
    {
        var pool = WithMapping(Oidc, Rules("Deny", Rule("dept", "Equals", "sales", Viewer)));

        var decision = Resolve(pool, null, Login(Oidc, C("dept", "hr")));

        Assert.That(decision.Error?.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(decision.Error?.Message, Is.EqualTo($"The ambiguous role mapping rules for: {Oidc} denied this request."));
    }

    [Test]
    public void No_rule_matching_with_AuthenticatedRole_falls_back_to_the_default()
    {
        var pool = WithMapping(Oidc, Rules("AuthenticatedRole", Rule("dept", "Equals", "sales", Viewer)));

        var decision = Resolve(pool, null, Login(Oidc, C("dept", "hr")));

        Assert.That((decision.RoleArn, decision.Source), Is.EqualTo((AuthRole, RoleSource.AmbiguousAuthenticatedRole)));
    }

    [Test]
    public void CustomRoleArn_picks_among_matching_rules()
    {
        var pool = WithMapping(Oidc, Rules("Deny", Rule("dept", "StartsWith", "e", Editor), Rule("dept", "Contains", "ng", Admin), Rule("x", "Equals", "y", Viewer)));
        var login = Login(Oidc, C("dept", "eng"));

        var picked = Resolve(pool, Admin, login);
        var notMatching = Resolve(pool, Viewer, login);

        Assert.That((picked.RoleArn, picked.RuleIndex), Is.EqualTo((Admin, (int?)1)));
        Assert.That(notMatching.Error?.Message, Is.EqualTo($"Access to Role '{Viewer}' is forbidden."));
    }

    [Test]
    public void User_pool_mapping_key_includes_the_client_id_from_aud()
    {
        var pool = WithMapping(UserPoolKey, Rules("Deny", Rule("sub", "StartsWith", "u", Editor)));

        var right = Resolve(pool, null, Login(UserPool, C("aud", "client1"), C("sub", "u1")));
        var otherClient = Resolve(pool, null, Login(UserPool, C("aud", "client2"), C("sub", "u1")));

        Assert.That(right.RoleArn, Is.EqualTo(Editor));
        Assert.That((otherClient.RoleArn, otherClient.Source), Is.EqualTo((AuthRole, RoleSource.DefaultAuthenticated)));
    }

    [Test]
    public void Oidc_mapping_may_be_keyed_by_the_provider_arn()
    {
        var pool = WithMapping($"arn:aws:iam::000000000000:oidc-provider/{Oidc}", Rules("Deny", Rule("sub", "Equals", "u1", Editor)));

        Assert.That(Resolve(pool, null, Login(Oidc, C("sub", "u1"))).RoleArn, Is.EqualTo(Editor));
    }

    // Token mappings.
    [Test]
    public void Token_preferred_role_wins_over_roles()
    {
        var pool = WithMapping(UserPoolKey, Token("Deny"));

        var decision = Resolve(pool, null, Login(UserPool, C("aud", "client1"), C("cognito:roles", Editor, Admin), C("cognito:preferred_role", Admin)));

        Assert.That((decision.RoleArn, decision.Source), Is.EqualTo((Admin, RoleSource.TokenPreferredRole)));
    }

    [Test]
    public void Token_single_role_without_preferred_role()
    {
        var pool = WithMapping(UserPoolKey, Token("Deny"));

        var decision = Resolve(pool, null, Login(UserPool, C("aud", "client1"), C("cognito:roles", Editor)));

        Assert.That((decision.RoleArn, decision.Source), Is.EqualTo((Editor, RoleSource.TokenSingleRole)));
    }

    [Test]
    public void Token_comma_separated_roles_are_several_roles()
    {
        var pool = WithMapping(UserPoolKey, Token("Deny"));

        var decision = Resolve(pool, null, Login(UserPool, C("aud", "client1"), C("cognito:roles", $"{Editor},{Admin}")));

        Assert.That(decision.Source, Is.EqualTo(RoleSource.AmbiguousDenied));
    }

    [TestCase("Deny", null, RoleSource.AmbiguousDenied)]
    [TestCase("AuthenticatedRole", AuthRole, RoleSource.AmbiguousAuthenticatedRole)]
    public void Token_several_roles_without_preferred_is_ambiguous(string resolution, string? role, RoleSource source)
    {
        var pool = WithMapping(UserPoolKey, Token(resolution));

        var decision = Resolve(pool, null, Login(UserPool, C("aud", "client1"), C("cognito:roles", Editor, Admin)));

        Assert.That((decision.RoleArn, decision.Source), Is.EqualTo((role, source)));
    }

    [Test]
    public void Token_without_role_claims_is_ambiguous()
    {
        var pool = WithMapping(UserPoolKey, Token("Deny"));

        Assert.That(Resolve(pool, null, Login(UserPool, C("aud", "client1"))).Source, Is.EqualTo(RoleSource.AmbiguousDenied));
    }

    [Test]
    public void Token_CustomRoleArn_must_be_in_roles_and_beats_preferred_role()
    {
        var pool = WithMapping(UserPoolKey, Token("Deny"));
        var login = Login(UserPool, C("aud", "client1"), C("cognito:roles", Editor, Admin), C("cognito:preferred_role", Admin));

        var chosen = Resolve(pool, Editor, login);
        var refused = Resolve(pool, Viewer, login);

        Assert.That((chosen.RoleArn, chosen.Source), Is.EqualTo((Editor, RoleSource.TokenCustomRole)));
        Assert.That(refused.Error?.Message, Is.EqualTo($"Access to Role '{Viewer}' is forbidden."));
    }

    // SAML.
    [Test]
    public void Saml_single_role_attribute_is_used()
    {
        var decision = Resolve(Pool(), null, Login(SamlArn, C(SamlRoles.RoleAttribute, $"{Editor},{SamlArn}")));

        Assert.That((decision.RoleArn, decision.Source), Is.EqualTo((Editor, RoleSource.SamlAttribute)));
    }

    [Test]
    public void Saml_several_roles_need_CustomRoleArn_in_either_pair_order()
    {
        var login = Login(SamlArn, C(SamlRoles.RoleAttribute, $"{Editor},{SamlArn}", $"{SamlArn},{Admin}"));

        Assert.That(Resolve(Pool(), Admin, login).RoleArn, Is.EqualTo(Admin));
        Assert.That(Resolve(Pool(), Viewer, login).Error?.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(Resolve(Pool(), null, login).Error?.Type, Is.EqualTo("InvalidParameterException"));
    }

    [Test]
    public void Saml_pairs_of_another_provider_are_ignored()
    {
        var login = Login(SamlArn, C(SamlRoles.RoleAttribute, $"{Editor},arn:aws:iam::000000000000:saml-provider/other"));

        Assert.That(Resolve(Pool(), null, login).RoleArn, Is.EqualTo(AuthRole));
    }

    [Test]
    public void Saml_rules_mapping_takes_precedence_over_role_attributes()
    {
        var pool = WithMapping(SamlArn, Rules("Deny", Rule("department", "Equals", "it", Admin)));

        var decision = Resolve(pool, null, Login(SamlArn, C("department", "it"), C(SamlRoles.RoleAttribute, $"{Editor},{SamlArn}")));

        Assert.That(decision.RoleArn, Is.EqualTo(Admin));
    }

    // Several logins.
    [Test]
    public void Several_logins_the_first_mapped_provider_in_ordinal_order_decides()
    {
        var pool = Pool(new Dictionary<string, Pools.RoleMapping>
        {
            ["b.example.com"] = Rules("Deny", Rule("sub", "Equals", "u1", Editor)),
            ["c.example.com"] = Rules("Deny", Rule("sub", "Equals", "u1", Admin)),
        });
        MappingLogin[] logins = [Login("c.example.com", C("sub", "u1")), Login("a.example.com", C("sub", "u1")), Login("b.example.com", C("sub", "u1"))];

        var decision = Resolve(pool, null, logins);
        var reversed = Resolve(pool, null, [.. logins.Reverse()]);

        Assert.That((decision.RoleArn, decision.MappingKey), Is.EqualTo((Editor, "b.example.com")));
        Assert.That(reversed.RoleArn, Is.EqualTo(Editor));
    }

    [Test]
    public void Several_logins_a_deny_of_the_deciding_mapping_is_not_overridden()
    {
        var pool = WithMapping("a.example.com", Rules("Deny", Rule("sub", "Equals", "nobody", Editor)));

        var decision = Resolve(pool, null, Login("b.example.com", C("sub", "u1")), Login("a.example.com", C("sub", "u1")));

        Assert.That(decision.Source, Is.EqualTo(RoleSource.AmbiguousDenied));
    }
}
