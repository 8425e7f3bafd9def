// The HTTP floor: the cheapest request the broker's host could possibly serve. Built like BrokerApp (WebApplication
// defaults, the broker's logging levels, the same body-reading and reply-writing steps as ProtocolEndpoints) but the
// reply is a constant, so the load tool can compare every broker operation with what Kestrel alone costs here.
using System.Text;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();

// The size of a GetId reply; the content type is the one Cognito answers with.
var reply = Encoding.UTF8.GetBytes("{\"IdentityId\":\"us-east-1:00000000-0000-0000-0000-000000000000\"}");
app.MapPost("/", async (HttpContext context) =>
{
    // Read the whole body as the broker does (it must, to verify signatures and parse JSON).
    var buffer = new byte[16 * 1024];
    while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
    {
    }

    context.Response.StatusCode = 200;
    context.Response.ContentType = "application/x-amz-json-1.1";
    context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString("D");
    context.Response.ContentLength = reply.Length;
    await context.Response.Body.WriteAsync(reply, context.RequestAborted);
});
app.MapGet("/health/live", () => "ok");
await app.RunAsync();
