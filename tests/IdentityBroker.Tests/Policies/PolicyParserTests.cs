using IdentityBroker.Policies;

namespace IdentityBroker.Tests.Policies;

public sealed class PolicyParserTests
{
    private const string Allow = """{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}""";

    private static string? Error(string text, PolicyKind kind = PolicyKind.Permission)
    {
        var result = PolicyParser.Parse(text, kind);
        if (result.IsSuccess)
        {
            return null;
        }

        Assert.That(result.Error!.Type, Is.EqualTo("MalformedPolicyDocument"));
        Assert.That(result.Error.StatusCode, Is.EqualTo(400));
        return result.Error.Message;
    }

    [TestCase("not json", "Syntax errors in policy.")]
    [TestCase("[]", "Syntax errors in policy.")]
    [TestCase("""{"Version":"2012-10-17","Statement":[]}""", "Syntax errors in policy.")]
    [TestCase("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",}]}""", "Syntax errors in policy.")]
    [TestCase("""{"Version":"2012-10-17","Statment":[]}""", "Syntax errors in policy.")]
    [TestCase("""{"Version":"2012-10-18","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""", "The policy failed legacy parsing")]
    [TestCase("""{"Version":"2012-10-17"}""", "Missing required field Statement")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Action":"s3:*","Resource":"*"}}""", "Missing required field Effect")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Effect":"Permit","Action":"s3:*","Resource":"*"}}""", "Invalid effect: Permit")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}""", "Policy statement must contain actions.")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}""", "Policy statement must contain resources.")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}""", "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}}""", "Resource bucket must be in ARN format or \"*\".")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}""", "Policy document should not specify a principal.")]
    [TestCase("""{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]}""", "Statement IDs (SID) in a single policy must be unique.")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Sid":"a-b","Effect":"Allow","Action":"s3:*","Resource":"*"}}""", "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualz":{"a:b":"c"}}}}""", "Invalid Condition type : StringEqualz.")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}}""", "Syntax errors in policy.")]
    public void Malformed_permission_policies_name_the_problem(string text, string message) =>
        Assert.That(Error(text), Is.EqualTo(message));

    [TestCase("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRoleWithWebIdentity"}}""", "Missing required field Principal")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"sts:*","Resource":"*"}}""", "Has prohibited field Resource")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"sts:*"}}""", "Invalid principal in policy: \"AWS\":\"bob\"")]
    [TestCase("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Human":"x"},"Action":"sts:*"}}""", "Invalid principal in policy: \"Human\"")]
    public void Malformed_trust_policies_name_the_problem(string text, string message) =>
        Assert.That(Error(text, PolicyKind.Trust), Is.EqualTo(message));

    [Test]
    public void Statement_may_be_an_object_or_an_array()
    {
        var single = PolicyParser.Parse($$"""{"Version":"2012-10-17","Statement":{{Allow}}}""", PolicyKind.Permission);
        var many = PolicyParser.Parse($$"""{"Version":"2012-10-17","Statement":[{{Allow}},{{Allow}}]}""", PolicyKind.Permission);

        Assert.That(single.Value.Statements, Has.Count.EqualTo(1));
        Assert.That(many.Value.Statements.Select(s => s.Index), Is.EqualTo(new[] { 0, 1 }));
    }

    [Test]
    public void Principals_of_every_shape_are_parsed()
    {
        var doc = PolicyParser.Parse("""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},
              {"Effect":"Allow","Principal":{"Federated":["cognito-identity.amazonaws.com","arn:aws:iam::000000000000:oidc-provider/x"],"AWS":"123456789012","Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},
              {"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}
            """, PolicyKind.Trust).Value;

        Assert.That(doc.Statements[0].Principal!.IsWildcard, Is.True);
        Assert.That(doc.Statements[1].Principal!.ByType["Federated"], Has.Count.EqualTo(2));
        Assert.That(doc.Statements[1].Principal!.ByType["Service"], Is.EqualTo(new[] { "ec2.amazonaws.com" }));
        Assert.That(doc.Statements[2].Principal!.Negated, Is.True);
    }

    [Test]
    public void Condition_values_may_be_strings_numbers_booleans_or_arrays()
    {
        var doc = PolicyParser.Parse("""
            {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*",
             "Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true},"ForAnyValue:StringLike":{"k:amr":["a","b*"]}}}}
            """, PolicyKind.Permission).Value;

        var conditions = doc.Statements[0].Conditions;
        Assert.That(conditions.Select(c => c.Values[0]), Is.EqualTo(new[] { "10", "true", "a" }));
        Assert.That(conditions[2].Qualifier, Is.EqualTo(SetQualifier.ForAnyValue));
        Assert.That(conditions[2].BaseOperator, Is.EqualTo("StringLike"));
    }

    [Test]
    public void Missing_version_is_the_legacy_one_without_variables()
    {
        var doc = PolicyParser.Parse($$"""{"Statement":{{Allow}}}""", PolicyKind.Permission).Value;

        Assert.That(doc.Version, Is.EqualTo("2008-10-17"));
        Assert.That(doc.SupportsVariables, Is.False);
    }

    [Test]
    public void Cache_returns_the_parsed_instance_for_the_same_text_and_skips_failures()
    {
        var cache = new PolicyCache(maxEntries: 2);
        var text = $$"""{"Version":"2012-10-17","Statement":{{Allow}}}""";

        var first = cache.Parse(text, PolicyKind.Permission).Value;
        var second = cache.Parse(text, PolicyKind.Permission).Value;
        cache.Parse("broken", PolicyKind.Permission);

        Assert.That(second, Is.SameAs(first));
        Assert.That(cache.Count, Is.EqualTo(1));
    }

    [Test]
    public void Cache_stays_within_its_bound()
    {
        var cache = new PolicyCache(maxEntries: 3);
        for (var i = 0; i < 10; i++)
        {
            cache.Parse($$$"""{"Version":"2012-10-17","Statement":{"Sid":"S{{{i}}}","Effect":"Allow","Action":"s3:*","Resource":"*"}}""", PolicyKind.Permission);
        }

        Assert.That(cache.Count, Is.LessThanOrEqualTo(3));
    }
}
