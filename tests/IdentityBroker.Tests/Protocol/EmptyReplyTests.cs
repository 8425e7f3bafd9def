using System.Text;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Tests.Protocol;

[TestFixture]
public sealed class EmptyReplyTests
{
    [Test]
    public void An_operation_without_output_members_answers_an_empty_JSON_object_that_Amplify_can_parse()
    {
        var reply = JsonReplies.Empty("r1");

        Assert.That(reply.StatusCode, Is.EqualTo(200));
        Assert.That(reply.ContentType, Is.EqualTo("application/x-amz-json-1.1"));
        Assert.That(Encoding.UTF8.GetString(reply.Body.Span), Is.EqualTo("{}"));
        Assert.That(reply.Headers, Does.Contain(new KeyValuePair<string, string>("x-amzn-RequestId", "r1")));
    }
}
