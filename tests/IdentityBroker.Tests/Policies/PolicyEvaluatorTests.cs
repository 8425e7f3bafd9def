using IdentityBroker.Policies;

namespace IdentityBroker.Tests.Policies;

public sealed class PolicyEvaluatorTests
{
    private const string Bucket = "arn:aws:s3:::bucket/";

    private static PolicyDocument Policy(string statements, string version = "2012-10-17") =>
        PolicyParser.Parse($$"""{"Version":"{{version}}","Statement":[{{statements}}]}""", PolicyKind.Permission).Value;

    private static PolicyDecision Decide(PolicyDocument policy, string action, string resource, ConditionContext? context = null) =>
        PolicyEvaluator.Evaluate(policy, new PolicyRequest(action, resource, null, context ?? new ConditionContext()));

    /// <summary>True when an Allow of s3:GetObject on * with this Condition block allows the request context.</summary>
    private static bool Condition(string condition, ConditionContext context) =>
        Decide(Policy($$"""{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{condition}}}"""), "s3:GetObject", Bucket + "k", context).IsAllowed;

    private static ConditionContext Ctx(string key, params string[] values) => new ConditionContext().Set(key, values);

    [Test]
    public void Explicit_deny_wins_over_allow_and_names_its_statement()
    {
        var policy = Policy("""
            {"Sid":"All","Effect":"Allow","Action":"s3:*","Resource":"*"},
            {"Sid":"NoSecrets","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/secret/*"}
            """);

        var denied = Decide(policy, "s3:GetObject", Bucket + "secret/key");
        var allowed = Decide(policy, "s3:GetObject", Bucket + "public/key");

        Assert.That(denied.Effect, Is.EqualTo(PolicyEffect.ExplicitDeny));
        Assert.That((denied.StatementIndex, denied.Sid), Is.EqualTo((1, "NoSecrets")));
        Assert.That((allowed.Effect, allowed.StatementIndex, allowed.Sid), Is.EqualTo((PolicyEffect.Allow, 0, "All")));
    }

    [Test]
    public void Nothing_matching_is_an_implicit_deny()
    {
        var decision = Decide(Policy("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"""), "s3:PutObject", Bucket + "k");

        Assert.That(decision, Is.EqualTo(PolicyDecision.ImplicitDeny));
    }

    [Test]
    public void Deny_in_a_second_policy_wins_and_names_the_policy()
    {
        var allow = Policy("""{"Effect":"Allow","Action":"*","Resource":"*"}""");
        var deny = Policy("""{"Effect":"Deny","Action":"s3:*","Resource":"*"}""");

        var decision = PolicyEvaluator.Evaluate([allow, deny], new PolicyRequest("s3:GetObject", Bucket, null, new ConditionContext()));

        Assert.That((decision.Effect, decision.PolicyIndex), Is.EqualTo((PolicyEffect.ExplicitDeny, 1)));
    }

    [TestCase("s3:Get*", "s3:GetObject", true)]
    [TestCase("S3:getobject", "s3:GetObject", true)]
    [TestCase("s3:Get?bject", "s3:GetObject", true)]
    [TestCase("s3:Get?", "s3:GetObject", false)]
    [TestCase("*", "iam:CreateRole", true)]
    [TestCase("s3:*Object", "s3:GetObjectAcl", false)]
    public void Actions_match_with_wildcards_case_insensitively(string pattern, string action, bool allowed) =>
        Assert.That(Decide(Policy($$"""{"Effect":"Allow","Action":"{{pattern}}","Resource":"*"}"""), action, Bucket).IsAllowed, Is.EqualTo(allowed));

    [TestCase("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b", true)]
    [TestCase("arn:aws:s3:::bucket/?", "arn:aws:s3:::bucket/a", true)]
    [TestCase("arn:aws:s3:::bucket/?", "arn:aws:s3:::bucket/ab", false)]
    [TestCase("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a", false)]
    public void Resources_match_with_wildcards_case_sensitively(string pattern, string resource, bool allowed) =>
        Assert.That(Decide(Policy($$"""{"Effect":"Allow","Action":"s3:*","Resource":"{{pattern}}"}"""), "s3:GetObject", resource).IsAllowed, Is.EqualTo(allowed));

    [Test]
    public void NotAction_and_NotResource_match_everything_else()
    {
        var policy = Policy("""{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::private/*"}""");

        Assert.That(Decide(policy, "s3:GetObject", Bucket + "k").IsAllowed, Is.True);
        Assert.That(Decide(policy, "iam:CreateRole", Bucket + "k").IsAllowed, Is.False);
        Assert.That(Decide(policy, "s3:GetObject", "arn:aws:s3:::private/k").IsAllowed, Is.False);
    }

    [TestCase("""{"StringEquals":{"k:v":"abc"}}""", "abc", true)]
    [TestCase("""{"StringEquals":{"k:v":"abc"}}""", "ABC", false)]
    [TestCase("""{"StringNotEquals":{"k:v":"abc"}}""", "abd", true)]
    [TestCase("""{"StringNotEquals":{"k:v":["abc","abd"]}}""", "abd", false)]
    [TestCase("""{"StringEqualsIgnoreCase":{"k:v":"abc"}}""", "ABC", true)]
    [TestCase("""{"StringNotEqualsIgnoreCase":{"k:v":"abc"}}""", "ABC", false)]
    [TestCase("""{"StringLike":{"k:v":"a*c"}}""", "abbbc", true)]
    [TestCase("""{"StringLike":{"k:v":"a?c"}}""", "abbc", false)]
    [TestCase("""{"StringNotLike":{"k:v":"a*"}}""", "bcd", true)]
    [TestCase("""{"StringEquals":{"k:v":["x","abc"]}}""", "abc", true)]
    public void String_operators(string condition, string value, bool allowed) =>
        Assert.That(Condition(condition, Ctx("k:v", value)), Is.EqualTo(allowed));

    [TestCase("NumericEquals", "10", "10.0", true)]
    [TestCase("NumericNotEquals", "10", "11", true)]
    [TestCase("NumericLessThan", "10", "9", true)]
    [TestCase("NumericLessThan", "10", "10", false)]
    [TestCase("NumericLessThanEquals", "10", "10", true)]
    [TestCase("NumericGreaterThan", "10", "10.5", true)]
    [TestCase("NumericGreaterThanEquals", "10", "9", false)]
    [TestCase("NumericEquals", "10", "ten", false)]
    public void Numeric_operators(string op, string policyValue, string requestValue, bool allowed) =>
        Assert.That(Condition($$$"""{"{{{op}}}":{"k:n":"{{{policyValue}}}"}}""", Ctx("k:n", requestValue)), Is.EqualTo(allowed));

    [TestCase("DateLessThan", "2026-01-01T00:00:00Z", "2025-12-31T23:59:59Z", true)]
    [TestCase("DateLessThan", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", false)]
    [TestCase("DateLessThanEquals", "2026-01-01T00:00:00Z", "1767225600", true)]
    [TestCase("DateGreaterThan", "2026-01-01", "2026-01-02T00:00:00Z", true)]
    [TestCase("DateGreaterThanEquals", "1767225600", "2025-06-01T00:00:00Z", false)]
    [TestCase("DateEquals", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00+01:00", true)]
    [TestCase("DateNotEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", true)]
    public void Date_operators(string op, string policyValue, string requestValue, bool allowed) =>
        Assert.That(Condition($$$"""{"{{{op}}}":{"aws:CurrentTime":"{{{policyValue}}}"}}""", Ctx("aws:CurrentTime", requestValue)), Is.EqualTo(allowed));

    [TestCase("true", "true", true)]
    [TestCase("true", "TRUE", true)]
    [TestCase("true", "false", false)]
    public void Bool_operator(string policyValue, string requestValue, bool allowed) =>
        Assert.That(Condition($$$"""{"Bool":{"aws:SecureTransport":{{{policyValue}}}}}""", Ctx("aws:SecureTransport", requestValue)), Is.EqualTo(allowed));

    [TestCase("IpAddress", "203.0.113.0/24", "203.0.113.7", true)]
    [TestCase("IpAddress", "203.0.113.0/24", "203.0.114.7", false)]
    [TestCase("IpAddress", "203.0.113.7", "203.0.113.7", true)]
    [TestCase("IpAddress", "2001:db8::/32", "2001:db8::1", true)]
    [TestCase("NotIpAddress", "10.0.0.0/8", "192.168.0.1", true)]
    [TestCase("NotIpAddress", "10.0.0.0/8", "10.1.2.3", false)]
    public void Ip_operators(string op, string policyValue, string requestValue, bool allowed) =>
        Assert.That(Condition($$$"""{"{{{op}}}":{"aws:SourceIp":"{{{policyValue}}}"}}""", Ctx("aws:SourceIp", requestValue)), Is.EqualTo(allowed));

    [TestCase("ArnLike", "arn:aws:iam::*:role/app-*", "arn:aws:iam::123456789012:role/app-web", true)]
    [TestCase("ArnLike", "arn:aws:iam::*:role/app-*", "arn:aws:iam::123456789012:user/app-web", false)]
    [TestCase("ArnEquals", "arn:aws:sns:us-east-1:123456789012:topic", "arn:aws:sns:us-east-1:123456789012:topic", true)]
    [TestCase("ArnNotLike", "arn:aws:iam::*:role/app-*", "arn:aws:iam::1:role/other", true)]
    [TestCase("ArnNotEquals", "arn:aws:sns:us-east-1:1:t", "arn:aws:sns:us-east-1:1:t", false)]
    [TestCase("ArnLike", "arn:aws:logs:*:*:log-group:x:*", "arn:aws:logs:us-east-1:1:log-group:x:log-stream:y", true)]
    [TestCase("ArnLike", "arn:aws:iam::*:role/*", "not-an-arn", false)]
    public void Arn_operators(string op, string policyValue, string requestValue, bool allowed) =>
        Assert.That(Condition($$$"""{"{{{op}}}":{"aws:SourceArn":"{{{policyValue}}}"}}""", Ctx("aws:SourceArn", requestValue)), Is.EqualTo(allowed));

    [Test]
    public void Null_operator_tests_presence()
    {
        Assert.That(Condition("""{"Null":{"aws:TokenIssueTime":"true"}}""", new ConditionContext()), Is.True);
        Assert.That(Condition("""{"Null":{"aws:TokenIssueTime":"true"}}""", Ctx("aws:TokenIssueTime", "x")), Is.False);
        Assert.That(Condition("""{"Null":{"aws:TokenIssueTime":"false"}}""", Ctx("aws:TokenIssueTime", "x")), Is.True);
    }

    [Test]
    public void Missing_key_fails_positive_operators_satisfies_negated_ones_and_IfExists()
    {
        var empty = new ConditionContext();

        Assert.That(Condition("""{"StringEquals":{"k:v":"a"}}""", empty), Is.False);
        Assert.That(Condition("""{"StringNotEquals":{"k:v":"a"}}""", empty), Is.True);
        Assert.That(Condition("""{"StringEqualsIfExists":{"k:v":"a"}}""", empty), Is.True);
        Assert.That(Condition("""{"StringEqualsIfExists":{"k:v":"a"}}""", Ctx("k:v", "b")), Is.False);
        Assert.That(Condition("""{"NumericLessThanIfExists":{"k:n":"5"}}""", Ctx("k:n", "3")), Is.True);
    }

    [Test]
    public void ForAnyValue_needs_one_request_value_to_match()
    {
        const string condition = """{"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}""";

        Assert.That(Condition(condition, Ctx("cognito-identity.amazonaws.com:amr", "authenticated", "accounts.google.com")), Is.True);
        Assert.That(Condition(condition, Ctx("cognito-identity.amazonaws.com:amr", "unauthenticated")), Is.False);
        Assert.That(Condition(condition, new ConditionContext()), Is.False);
    }

    [Test]
    public void ForAllValues_needs_every_request_value_to_match_and_passes_on_none()
    {
        const string condition = """{"ForAllValues:StringEquals":{"aws:TagKeys":["team","project"]}}""";

        Assert.That(Condition(condition, Ctx("aws:TagKeys", "team", "project")), Is.True);
        Assert.That(Condition(condition, Ctx("aws:TagKeys", "team", "cost")), Is.False);
        Assert.That(Condition(condition, new ConditionContext()), Is.True);
    }

    [Test]
    public void Negated_operator_with_a_set_qualifier_applies_per_value()
    {
        const string condition = """{"ForAnyValue:StringNotEquals":{"k:set":"a"}}""";

        Assert.That(Condition(condition, Ctx("k:set", "a", "b")), Is.True);
        Assert.That(Condition(condition, Ctx("k:set", "a")), Is.False);
    }

    [Test]
    public void Several_keys_and_operators_must_all_hold()
    {
        const string condition = """{"StringEquals":{"k:a":"1","k:b":"2"},"Bool":{"k:c":"true"}}""";
        var all = new ConditionContext().Set("k:a", "1").Set("k:b", "2").Set("k:c", "true");
        var one = new ConditionContext().Set("k:a", "1").Set("k:b", "3").Set("k:c", "true");

        Assert.That(Condition(condition, all), Is.True);
        Assert.That(Condition(condition, one), Is.False);
    }

    [Test]
    public void Condition_keys_are_case_insensitive()
    {
        Assert.That(Condition("""{"StringEquals":{"Cognito-Identity.AmazonAws.com:AUD":"pool"}}""", Ctx("cognito-identity.amazonaws.com:aud", "pool")), Is.True);
    }

    [Test]
    public void Variables_are_substituted_in_resources()
    {
        var policy = Policy("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${cognito-identity.amazonaws.com:sub}/*"}""");
        var context = Ctx("cognito-identity.amazonaws.com:sub", "us-east-1:abc");

        Assert.That(Decide(policy, "s3:GetObject", Bucket + "us-east-1:abc/photo", context).IsAllowed, Is.True);
        Assert.That(Decide(policy, "s3:GetObject", Bucket + "us-east-1:xyz/photo", context).IsAllowed, Is.False);
    }

    [Test]
    public void Missing_variable_makes_the_element_not_match()
    {
        var policy = Policy("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*"}""");

        Assert.That(Decide(policy, "s3:GetObject", Bucket + "/x", new ConditionContext()).IsAllowed, Is.False);
        Assert.That(Condition("""{"StringEquals":{"k:v":"${aws:PrincipalTag/team}"}}""", Ctx("k:v", "")), Is.False);
    }

    [Test]
    public void Substituted_values_match_literally_and_special_variables_give_literal_characters()
    {
        var policy = Policy("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/team}/${*}"}""");
        var wildcardTag = Ctx("aws:PrincipalTag/team", "*");

        Assert.That(Decide(policy, "s3:GetObject", Bucket + "*/*", wildcardTag).IsAllowed, Is.True);
        Assert.That(Decide(policy, "s3:GetObject", Bucket + "blue/file", wildcardTag).IsAllowed, Is.False);
        Assert.That(Condition("""{"StringEquals":{"k:v":"${$}${?}"}}""", Ctx("k:v", "$?")), Is.True);
    }

    [Test]
    public void Variables_in_condition_values_use_principal_tags()
    {
        const string condition = """{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team}"}}""";
        var context = new ConditionContext().Set("aws:PrincipalTag/team", "blue").Set("s3:prefix", "blue");

        Assert.That(Condition(condition, context), Is.True);
        Assert.That(Condition(condition, context.Set("s3:prefix", "red")), Is.False);
    }

    [Test]
    public void Legacy_version_treats_variables_as_literal_text()
    {
        var policy = Policy("""{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${aws:username}"}""", "2008-10-17");
        var context = Ctx("aws:username", "bob");

        Assert.That(Decide(policy, "s3:GetObject", Bucket + "bob", context).IsAllowed, Is.False);
        Assert.That(Decide(policy, "s3:GetObject", Bucket + "${aws:username}", context).IsAllowed, Is.True);
    }

    [Test]
    public void Variable_default_value_is_used_when_the_key_is_missing()
    {
        Assert.That(Condition("""{"StringEquals":{"k:v":"${aws:PrincipalTag/team, 'none'}"}}""", Ctx("k:v", "none")), Is.True);
    }
}
