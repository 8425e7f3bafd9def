using System.Text;
using IdentityBroker.Errors;
using IdentityBroker.Protocol.Json;
using IdentityBroker.Server.Admin;
using IdentityBroker.Server.Hosting;

namespace IdentityBroker.Tests.Protocol;

[TestFixture]
public sealed class ReplyJsonTests
{
    [Test]
    public void Credentials_are_written_byte_for_byte_with_plus_and_slash_as_themselves()
    {
        var reply = JsonReplies.Success(new GetCredentialsForIdentityResponse
        {
            IdentityId = "us-east-1:11111111-2222-3333-4444-555555555555",
            Credentials = new CredentialsShape { AccessKeyId = "ASIAEXAMPLE", SecretKey = "wJal+rXU/tnFEMI+K7MDENG/bPxRfiCY", SessionToken = "IQo+b3/Jp", Expiration = 1767225600 },
        }, CognitoJsonContext.Default.GetCredentialsForIdentityResponse, "r1");

        Assert.That(Encoding.UTF8.GetString(reply.Body.Span), Is.EqualTo(
            """{"IdentityId":"us-east-1:11111111-2222-3333-4444-555555555555","Credentials":{"AccessKeyId":"ASIAEXAMPLE","SecretKey":"wJal+rXU/tnFEMI+K7MDENG/bPxRfiCY","SessionToken":"IQo+b3/Jp","Expiration":1767225600}}"""));
    }

    [TestCase("+ / < > & ' é 中", """+ / < > & ' é 中""")]
    [TestCase("quote \" backslash \\", """quote \" backslash \\""")]
    [TestCase("line\nfeed\r\ttab\u0000nul\u001Fus\u007Fdel", """line\nfeed\r\ttab\u0000nul\u001Fus\u007Fdel""")]
    [TestCase("separators \u2028 \u2029", """separators \u2028 \u2029""")]
    [TestCase("outside the BMP \U0001D49C", """outside the BMP \uD835\uDC9C""")]
    public void An_error_message_escapes_only_what_JSON_needs(string message, string written)
    {
        var reply = JsonReplies.Error(new AwsError("InvalidParameterException", message), "r1");

        Assert.That(Encoding.UTF8.GetString(reply.Body.Span), Is.EqualTo($$"""{"__type":"InvalidParameterException","message":"{{written}}"}"""));
    }

    [Test]
    public void The_admin_credentials_file_holds_the_secret_as_it_is()
    {
        var json = AdminCredentials.ToJson(new AdminKey("AKIAEXAMPLEEXAMPLE12", "ab+cd/ef+gh/ij"));

        Assert.That(json, Does.Contain("\"SecretAccessKey\": \"ab+cd/ef+gh/ij\""));
    }

    [Test]
    public void The_admin_api_error_writes_its_message_as_it_is()
    {
        var body = SimulationJson.WriteError(new AwsError("InvalidParameterException", "Claims for <a&b+c> are not an object."));

        Assert.That(Encoding.UTF8.GetString(body), Is.EqualTo("""{"__type":"InvalidParameterException","message":"Claims for <a&b+c> are not an object."}"""));
    }
}
