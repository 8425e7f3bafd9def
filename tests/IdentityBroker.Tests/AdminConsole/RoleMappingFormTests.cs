using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Server.Console;
using IdentityBroker.Validation;

namespace IdentityBroker.Tests.AdminConsole;

public sealed class RoleMappingFormTests
{
    private const string Provider = "issuer.example.test";
    private const string Eng = "arn:aws:iam::000000000000:role/Eng";
    private const string Auth = "arn:aws:iam::000000000000:role/Auth";
    private const string PoolId = "us-east-1:0b5d9c2e-0000-4000-8000-000000000001";

    private static Func<string, string?> Fields(Dictionary<string, string> values) => name => values.TryGetValue(name, out var v) ? v : null;

    private static RoleMappingForm Posted() => RoleMappingForm.Read(Fields(new()
    {
        ["role.authenticated"] = Auth,
        ["p0.key"] = Provider,
        ["p0.type"] = "Rules",
        ["p0.ambiguous"] = "Deny",
        ["p0.r0.claim"] = "dept",
        ["p0.r0.match"] = "Equals",
        ["p0.r0.value"] = "eng",
        ["p0.r0.role"] = Eng,
        // A blank row between two rules is dropped, so the second rule is rule 2 of the request.
        ["p0.r1.match"] = "Equals",
        ["p0.r2.claim"] = "email",
        ["p0.r2.match"] = "Contains",
        ["p0.r2.value"] = "@example.test",
        ["p0.r2.role"] = Auth,
    }));

    [Test]
    public void A_posted_form_becomes_the_SetIdentityPoolRoles_request_with_blank_rows_dropped()
    {
        var request = Posted().ToRequest(PoolId);
        Assert.That(request.Roles, Is.EqualTo(new Dictionary<string, string> { ["authenticated"] = Auth }));
        var mapping = request.RoleMappings![Provider];
        Assert.That(mapping.Type, Is.EqualTo("Rules"));
        Assert.That(mapping.AmbiguousRoleResolution, Is.EqualTo("Deny"));
        Assert.That(mapping.RulesConfiguration!.Rules!.Select(r => (r.Claim, r.MatchType, r.Value, r.RoleARN)),
            Is.EqualTo(new[] { ("dept", "Equals", "eng", Eng), ("email", "Contains", "@example.test", Auth) }));
        Assert.That(RequestValidation.Validate(request), Is.Null);
    }

    [Test]
    public void A_provider_left_on_default_roles_sends_no_mapping()
    {
        var form = RoleMappingForm.Read(Fields(new() { ["p0.key"] = Provider, ["p0.type"] = "" }));
        Assert.That(form.ToRequest(PoolId).RoleMappings, Is.Null);
    }

    [Test]
    public void The_pool_round_trips_through_the_form_with_blank_rows_to_add_rules()
    {
        var pool = new IdentityPool
        {
            IdentityPoolId = PoolId,
            IdentityPoolName = "p",
            AllowUnauthenticatedIdentities = false,
            Roles = new Dictionary<string, string> { ["authenticated"] = Auth },
            RoleMappings = Posted().ToRequest(PoolId).RoleMappings,
        };
        var form = RoleMappingForm.FromPool(pool, [Provider, "other.example.test"]).WithBlankRows();
        Assert.That(form.Providers.Select(p => p.Key), Is.EqualTo(new[] { Provider, "other.example.test" }));
        Assert.That(form.Providers[0].Rules, Has.Count.EqualTo(2 + RoleMappingForm.BlankRows));
        Assert.That(form.Providers[1].Type, Is.Empty);
        Assert.That(form.AuthenticatedRole, Is.EqualTo(Auth));
    }

    [Test]
    public void A_trust_problem_of_a_rule_is_placed_at_that_rules_role_field()
    {
        var error = CognitoErrors.InvalidParameter($"Role '{Auth}' (rule 2 of the role mapping for {Provider}) does not trust this pool's authenticated identities: …");
        Assert.That(Posted().Place(error).Field, Is.EqualTo("p0.r1.role"));
    }

    [Test]
    public void A_model_validation_error_is_placed_at_the_member_its_path_names()
    {
        var tooLong = RoleMappingForm.Read(Fields(new()
        {
            ["p0.key"] = Provider, ["p0.type"] = "Rules", ["p0.r0.claim"] = new string('c', 65), ["p0.r0.value"] = "v", ["p0.r0.role"] = Eng,
        }));
        var error = RequestValidation.Validate(tooLong.ToRequest(PoolId));
        Assert.That(error, Is.Not.Null);
        Assert.That(tooLong.Place(error!).Field, Is.EqualTo("p0.r0.claim"), error!.Message);
    }

    [Test]
    public void A_default_role_that_is_not_a_role_ARN_is_placed_at_the_default_role_field()
    {
        var form = Posted() with { AuthenticatedRole = "not-an-arn" };
        Assert.That(form.Place(CognitoErrors.NotAuthorized("Access to Role 'not-an-arn' is forbidden.")).Field, Is.EqualTo("role.authenticated"));
        Assert.That(form.Place(new AwsError("InternalErrorException", "something else")).Field, Is.EqualTo(RoleMappingForm.FormField));
    }
}
