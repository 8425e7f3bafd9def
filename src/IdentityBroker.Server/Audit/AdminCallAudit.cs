using System.Text.Json.Nodes;
using IdentityBroker.Audit;
using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Observability;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Server.Admin;

namespace IdentityBroker.Server.Audit;

/// <summary>
/// Puts the admin API's writes that AWS has no operation for into the audit trail as the console records them
/// (<see cref="Console.ConsoleAudit"/>): <c>PUT /admin/api/pools/{id}/rules</c> is told to the call observers as
/// <c>SetIdentityPoolExpressionRules</c> of Cognito Identity, with the admin key that signed it as the caller, the pool id and
/// the rules as the request (redacted by the trail's own rules), the client's user agent and the error of a refused write.
/// The edge's own observation of the admin call (service <c>admin</c>) is not a record: the trail records AWS services only.
/// </summary>
internal sealed class AdminCallAudit(IEnumerable<ICallObserver> observers, TimeProvider time)
{
    /// <summary>The operation the console records for the same write (docs/audit.md).</summary>
    public const string SetExpressionRules = "SetIdentityPoolExpressionRules";

    private const int MaxUserAgent = 1024;

    private readonly ICallObserver[] _observers = [.. observers];

    public long Start() => time.GetTimestamp();

    /// <summary>Records one write of a pool's expression rules; <paramref name="rules"/> is null when the body could not be read.</summary>
    public void RulesWritten(AwsCall call, string poolId, IReadOnlyList<ExpressionRule>? rules, AwsError? error, long started)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (_observers.Length == 0)
        {
            return;
        }

        var capture = new CallAuditCapture { IdentityPoolId = poolId };
        var details = new CallDetails(UserAgent(call), AuditRedaction.FromJson(RulesRequest(poolId, rules)), capture, null, call.Caller?.Arn, call.Caller?.UserId)
        {
            ErrorMessage = error?.Message,
        };
        var completed = new CallCompleted(
            ConsoleAuditService,
            SetExpressionRules,
            call.Caller?.AccessKeyId,
            error?.StatusCode ?? StatusCodes.Status200OK,
            error?.Type,
            time.GetElapsedTime(started),
            call.RequestId,
            call.Request.SourceIp) { Details = details };
        foreach (var observer in _observers)
        {
            observer.OnCallCompleted(in completed);
        }
    }

    /// <summary>The request as the console records it: <c>IdentityPoolId</c>, then the rules as the API reads them back.</summary>
    internal static byte[] RulesRequest(string poolId, IReadOnlyList<ExpressionRule>? rules)
    {
        var body = rules is null ? new JsonObject() : JsonNode.Parse(ExpressionRulesJson.WriteRules(rules))!.AsObject();
        body.Insert(0, "IdentityPoolId", poolId);
        return System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private const string ConsoleAuditService = Console.ConsoleAudit.CognitoIdentity;

    private static string UserAgent(AwsCall call)
    {
        foreach (var (name, value) in call.Request.Headers)
        {
            if (string.Equals(name, "User-Agent", StringComparison.OrdinalIgnoreCase))
            {
                return value.Length > MaxUserAgent ? value[..MaxUserAgent] : value;
            }
        }

        return string.Empty;
    }
}
