using IdentityBroker.Policies;

namespace IdentityBroker.Tests.Policies;

/// <summary>
/// The three example policies of the Cognito developer guide for identity pools ("IAM roles": guest read of one object,
/// per-identity S3 prefix, DynamoDB fine-grained access), each evaluated for two identities.
/// </summary>
public sealed class CognitoExamplePoliciesTests
{
    private const string Alice = "us-east-1:aaaaaaaa-0000-0000-0000-000000000001";
    private const string Bob = "us-east-1:bbbbbbbb-0000-0000-0000-000000000002";
    private const string Table = "arn:aws:dynamodb:us-east-1:123456789012:table/MyTable";

    private const string GuestOneObject = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::mybucket/assets/my_picture.jpg"]}]}
        """;

    private const string IdentityPrefix = """
        {"Version":"2012-10-17","Statement":[
          {"Action":["s3:ListBucket"],"Effect":"Allow","Resource":["arn:aws:s3:::mybucket"],
           "Condition":{"StringLike":{"s3:prefix":["${cognito-identity.amazonaws.com:sub}/*"]}}},
          {"Action":["s3:GetObject","s3:PutObject"],"Effect":"Allow","Resource":["arn:aws:s3:::mybucket/${cognito-identity.amazonaws.com:sub}/*"]}]}
        """;

    private const string DynamoLeadingKeys = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
          "Action":["dynamodb:GetItem","dynamodb:BatchGetItem","dynamodb:Query","dynamodb:PutItem","dynamodb:UpdateItem","dynamodb:DeleteItem","dynamodb:BatchWriteItem"],
          "Resource":["arn:aws:dynamodb:us-east-1:123456789012:table/MyTable"],
          "Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${cognito-identity.amazonaws.com:sub}"]}}}]}
        """;

    private static PolicyEffect Evaluate(string policy, string identity, string action, string resource, params (string Key, string[] Values)[] keys)
    {
        var context = new ConditionContext().Set("cognito-identity.amazonaws.com:sub", identity);
        foreach (var (key, values) in keys)
        {
            context.Set(key, values);
        }

        var document = PolicyParser.Parse(policy, PolicyKind.Permission).Value;
        return PolicyEvaluator.Evaluate(document, new PolicyRequest(action, resource, null, context)).Effect;
    }

    [TestCase(Alice)]
    [TestCase(Bob)]
    public void Guest_policy_allows_the_one_object_for_anyone_and_nothing_else(string identity)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Evaluate(GuestOneObject, identity, "s3:GetObject", "arn:aws:s3:::mybucket/assets/my_picture.jpg"), Is.EqualTo(PolicyEffect.Allow));
            Assert.That(Evaluate(GuestOneObject, identity, "s3:GetObject", "arn:aws:s3:::mybucket/assets/other.jpg"), Is.EqualTo(PolicyEffect.ImplicitDeny));
            Assert.That(Evaluate(GuestOneObject, identity, "s3:PutObject", "arn:aws:s3:::mybucket/assets/my_picture.jpg"), Is.EqualTo(PolicyEffect.ImplicitDeny));
        });
    }

    [TestCase(Alice, Bob)]
    [TestCase(Bob, Alice)]
    public void Identity_prefix_allows_own_objects_only(string me, string other)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Evaluate(IdentityPrefix, me, "s3:GetObject", $"arn:aws:s3:::mybucket/{me}/photo.jpg"), Is.EqualTo(PolicyEffect.Allow));
            Assert.That(Evaluate(IdentityPrefix, me, "s3:PutObject", $"arn:aws:s3:::mybucket/{me}/new.jpg"), Is.EqualTo(PolicyEffect.Allow));
            Assert.That(Evaluate(IdentityPrefix, me, "s3:GetObject", $"arn:aws:s3:::mybucket/{other}/photo.jpg"), Is.EqualTo(PolicyEffect.ImplicitDeny));
            Assert.That(Evaluate(IdentityPrefix, me, "s3:ListBucket", "arn:aws:s3:::mybucket", ("s3:prefix", [$"{me}/"])), Is.EqualTo(PolicyEffect.Allow));
            Assert.That(Evaluate(IdentityPrefix, me, "s3:ListBucket", "arn:aws:s3:::mybucket", ("s3:prefix", [$"{other}/"])), Is.EqualTo(PolicyEffect.ImplicitDeny));
        });
    }

    [Test]
    public void Identity_prefix_without_a_sub_matches_nothing()
    {
        var document = PolicyParser.Parse(IdentityPrefix, PolicyKind.Permission).Value;

        var decision = PolicyEvaluator.Evaluate(document, new PolicyRequest("s3:GetObject", "arn:aws:s3:::mybucket/x/y", null, new ConditionContext()));

        Assert.That(decision.Effect, Is.EqualTo(PolicyEffect.ImplicitDeny));
    }

    [TestCase(Alice, Bob)]
    [TestCase(Bob, Alice)]
    public void Dynamodb_leading_keys_must_all_be_the_identity(string me, string other)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Evaluate(DynamoLeadingKeys, me, "dynamodb:GetItem", Table, ("dynamodb:LeadingKeys", [me])), Is.EqualTo(PolicyEffect.Allow));
            Assert.That(Evaluate(DynamoLeadingKeys, me, "dynamodb:GetItem", Table, ("dynamodb:LeadingKeys", [other])), Is.EqualTo(PolicyEffect.ImplicitDeny));
            Assert.That(Evaluate(DynamoLeadingKeys, me, "dynamodb:BatchGetItem", Table, ("dynamodb:LeadingKeys", [me, other])), Is.EqualTo(PolicyEffect.ImplicitDeny));
            Assert.That(Evaluate(DynamoLeadingKeys, me, "dynamodb:Scan", Table, ("dynamodb:LeadingKeys", [me])), Is.EqualTo(PolicyEffect.ImplicitDeny));
        });
    }

    [Test]
    public void Missing_variable_like_aws_username_makes_the_element_match_nothing()
    {
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}""";

        Assert.That(Evaluate(policy, Alice, "s3:GetObject", "arn:aws:s3:::home/${aws:username}/x"), Is.EqualTo(PolicyEffect.ImplicitDeny));
        Assert.That(Evaluate(policy, Alice, "s3:GetObject", "arn:aws:s3:::home//x"), Is.EqualTo(PolicyEffect.ImplicitDeny));
    }

    [Test]
    public void Missing_variable_with_a_default_uses_the_default()
    {
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username, 'guest'}/*"}]}""";

        Assert.That(Evaluate(policy, Alice, "s3:GetObject", "arn:aws:s3:::home/guest/x"), Is.EqualTo(PolicyEffect.Allow));
    }

    [Test]
    public void NotPrincipal_denies_everyone_but_the_named_principal()
    {
        const string trust = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRoleWithWebIdentity"},
            {"Effect":"Deny","NotPrincipal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}
            """;
        var document = PolicyParser.Parse(trust, PolicyKind.Trust).Value;
        PolicyEffect For(string federated) => PolicyEvaluator.Evaluate(document,
            new PolicyRequest("sts:AssumeRoleWithWebIdentity", "arn:aws:iam::000000000000:role/R", new RequestPrincipal("Federated", federated), new ConditionContext())).Effect;

        Assert.That(For("cognito-identity.amazonaws.com"), Is.EqualTo(PolicyEffect.Allow));
        Assert.That(For("accounts.google.com"), Is.EqualTo(PolicyEffect.ExplicitDeny));
    }
}
