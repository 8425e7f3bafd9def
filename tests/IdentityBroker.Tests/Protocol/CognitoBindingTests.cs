using IdentityBroker.Identities.Developer;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Validation;

namespace IdentityBroker.Tests.Protocol;

/// <summary>
/// A request that passed model validation binds to its operation's command with Cognito's meaning for what it leaves out:
/// no Logins is a guest's empty map, no TokenDuration the documented 15 minutes, no HideDisabled false.
/// </summary>
[TestFixture]
public sealed class CognitoBindingTests
{
    private const string PoolId = "us-east-1:11111111-2222-3333-4444-555555555555";
    private const string IdentityId = "us-east-1:66666666-7777-8888-9999-000000000000";

    [Test]
    public void GetId_without_logins_binds_an_empty_login_map()
    {
        var command = CognitoBinding.GetId(Valid(new GetIdRequest { IdentityPoolId = PoolId }), null);

        Assert.Multiple(() =>
        {
            Assert.That(command.IdentityPoolId, Is.EqualTo(PoolId));
            Assert.That(command.Logins, Is.Empty);
            Assert.That(command.AccountId, Is.Null);
        });
    }

    [Test]
    public void A_developer_token_without_TokenDuration_lives_the_documented_15_minutes()
    {
        var request = Valid(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = PoolId, Logins = new() { ["login.example"] = "user-1" } });

        Assert.That(CognitoBinding.GetOpenIdTokenForDeveloperIdentity(request).Lifetime, Is.EqualTo(TimeSpan.FromMinutes(15)));
        Assert.That(DeveloperTokenOperation.DefaultLifetime, Is.EqualTo(TimeSpan.FromMinutes(15)));
    }

    [Test]
    public void A_developer_token_with_TokenDuration_lives_that_many_seconds()
    {
        var request = Valid(new GetOpenIdTokenForDeveloperIdentityRequest
        {
            IdentityPoolId = PoolId,
            Logins = new() { ["login.example"] = "user-1" },
            TokenDuration = 3600,
        });

        Assert.That(CognitoBinding.GetOpenIdTokenForDeveloperIdentity(request).Lifetime, Is.EqualTo(TimeSpan.FromHours(1)));
    }

    [Test]
    public void UnlinkIdentity_binds_the_providers_to_remove_as_a_set()
    {
        var request = Valid(new UnlinkIdentityRequest
        {
            IdentityId = IdentityId,
            Logins = new() { ["accounts.google.com"] = "token" },
            LoginsToRemove = ["accounts.google.com", "accounts.google.com", "graph.facebook.com"],
        });

        var command = CognitoBinding.UnlinkIdentity(request);

        Assert.That(command.ProvidersToRemove, Is.EquivalentTo(new[] { "accounts.google.com", "graph.facebook.com" }));
    }

    [Test]
    public void ListIdentities_without_HideDisabled_lists_disabled_identities_too()
    {
        var request = Valid(new ListIdentitiesRequest { IdentityPoolId = PoolId, MaxResults = 10 });

        Assert.That(CognitoBinding.ListIdentities(request).HideDisabled, Is.False);
    }

    [Test]
    public void SetPrincipalTagAttributeMap_without_UseDefaults_binds_a_custom_map()
    {
        var request = Valid(new SetPrincipalTagAttributeMapRequest
        {
            IdentityPoolId = PoolId,
            IdentityProviderName = "accounts.google.com",
            PrincipalTags = new() { ["team"] = "hd" },
        });

        var command = CognitoBinding.SetPrincipalTagAttributeMap(request);

        Assert.Multiple(() =>
        {
            Assert.That(command.UseDefaults, Is.False);
            Assert.That(command.PrincipalTags, Is.EquivalentTo(new Dictionary<string, string> { ["team"] = "hd" }));
        });
    }

    /// <summary>Binding runs only after validation; each case starts from a request the model accepts.</summary>
    private static T Valid<T>(T request)
        where T : class, IModelRequest<T>
    {
        Assert.That(RequestValidation.Validate(request), Is.Null, "the test's request must satisfy the model");
        return request;
    }
}
