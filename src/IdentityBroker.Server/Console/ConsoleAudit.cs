using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IdentityBroker.Audit;
using IdentityBroker.Errors;
using IdentityBroker.Observability;
using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Server.Console;

/// <summary>
/// Puts the console's writes into the audit trail (docs/console.md, "Audit"): each one is told to the call observers as the
/// equivalent API call — the same service and operation, so the same eventSource and eventName; the admin key that signed in
/// as the caller; the request as the API would have received it, redacted by the trail's own rules; the error of a refused
/// write — with a user agent saying it came from the console. The trail's storage, batching and metrics then apply as to
/// any call.
/// </summary>
internal sealed class ConsoleAudit(IEnumerable<ICallObserver> observers, StaticPrincipalSource admins, TimeProvider time)
{
    /// <summary>The start of every console record's userAgent; the browser's own user agent follows in brackets.</summary>
    public const string UserAgent = "IdentityBroker-Console/1.0";

    /// <summary>Cognito Identity's route name (the trail's eventSource cognito-identity.amazonaws.com).</summary>
    public const string CognitoIdentity = "cognito-identity";

    private const int MaxUserAgent = 1024;

    private readonly ICallObserver[] _observers = [.. observers];

    public long Start() => time.GetTimestamp();

    /// <summary>Records one console write (<see cref="ConsoleWrite.Request"/> is the API request it stands for); <paramref name="error"/> when refused.</summary>
    public async Task RecordAsync(ConsoleCall call, ConsoleWrite write, AwsError? error)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(write);
        if (_observers.Length == 0)
        {
            return;
        }

        var principal = await admins.FindAsync(call.Session.AccessKeyId, sessionToken: null, call.Aborted).ConfigureAwait(false);
        var capture = new CallAuditCapture { IdentityPoolId = write.IdentityPoolId, IdentityId = write.IdentityId };
        var details = new CallDetails(
            UserAgentOf(call.Http), AuditRedaction.FromJson(write.Request), capture, null,
            principal?.Arn, principal?.UserId)
        {
            ErrorMessage = error?.Message,
        };
        var completed = new CallCompleted(
            write.Service,
            write.Operation,
            principal is null ? null : call.Session.AccessKeyId,
            error?.StatusCode ?? StatusCodes.Status200OK,
            error?.Type,
            time.GetElapsedTime(write.Started),
            Guid.NewGuid().ToString("D"),
            SourceIp(call.Http)) { Details = details };
        foreach (var observer in _observers)
        {
            observer.OnCallCompleted(in completed);
        }
    }

    /// <summary>"IdentityBroker-Console/1.0 (browser's user agent)", at most 1,024 characters as at the edge.</summary>
    internal static string UserAgentOf(HttpContext http)
    {
        var browser = http.Request.Headers.UserAgent.ToString();
        var agent = browser.Length == 0 ? UserAgent : $"{UserAgent} ({browser})";
        return agent.Length > MaxUserAgent ? agent[..MaxUserAgent] : agent;
    }

    private static string? SourceIp(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : null;
}

/// <summary>One console write as the API call it stands for: the request's JSON, when it started, and the resources it acted on.</summary>
internal sealed record ConsoleWrite(string Service, string Operation, byte[] Request, long Started)
{
    public static ConsoleWrite Of<T>(string operation, T request, JsonTypeInfo<T> type, long started) =>
        new(ConsoleAudit.CognitoIdentity, operation, JsonSerializer.SerializeToUtf8Bytes(request, type), started);

    public string? IdentityPoolId { get; init; }

    public string? IdentityId { get; init; }
}
