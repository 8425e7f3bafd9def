using IdentityBroker.Protocol.Json;
using IdentityBroker.Validation;

namespace IdentityBroker.Tests.Validation;

/// <summary>Several app/client ids of one provider are written comma-separated in SupportedLoginProviders (docs/providers-social.md).</summary>
[TestFixture]
public sealed class CommaSeparatedIdsTests
{
    [Test]
    public void Comma_separated_client_ids_are_accepted()
    {
        var request = new CreateIdentityPoolRequest
        {
            IdentityPoolName = "p",
            AllowUnauthenticatedIdentities = false,
            SupportedLoginProviders = new() { ["accounts.google.com"] = "ios-1.apps.googleusercontent.com,android-2.apps.googleusercontent.com" },
        };
        Assert.That(RequestValidation.Validate(request), Is.Null);
    }

    [TestCase(",", TestName = "A comma alone is not an id")]
    [TestCase("id one,id2", TestName = "Spaces stay refused")]
    [TestCase("id1,id!2", TestName = "Characters outside the model stay refused")]
    public void Other_characters_are_still_refused(string value)
    {
        var request = new CreateIdentityPoolRequest
        {
            IdentityPoolName = "p",
            AllowUnauthenticatedIdentities = false,
            SupportedLoginProviders = new() { ["accounts.google.com"] = value },
        };
        Assert.That(RequestValidation.Validate(request)?.Type, Is.EqualTo("ValidationException"));
    }
}
