using System.Text.Json;

namespace IdentityBroker.Tests.Integration;

internal static class AwsErrorAssert
{
    /// <summary>Asserts the AWS JSON 1.1 error shape: status, <c>__type</c>, lower-case <c>message</c>, <c>x-amzn-ErrorType: Type:</c>.</summary>
    public static async Task<string> IsJsonErrorAsync(HttpResponseMessage response, string type, int status = 400)
    {
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
            Assert.That(document.RootElement.GetProperty("__type").GetString(), Is.EqualTo(type), body);
            Assert.That(response.Headers.GetValues("x-amzn-ErrorType").Single(), Is.EqualTo(type + ":"));
            Assert.That(response.Headers.Contains("x-amzn-RequestId"), Is.True);
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-amz-json-1.1"));
        });
        return document.RootElement.GetProperty("message").GetString()!;
    }

    public static async Task<JsonElement> IsSuccessAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
