using IdentityBroker.Errors;
using IdentityBroker.Policies;
using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Sts;

/// <summary>Authorizes calls signed with embedded-STS credentials against their session's effective policy.</summary>
public sealed class SessionCallerAuthorizer(StsSessionPrincipals sessions, SessionAuthorizer authorizer) : ICallerAuthorizer
{
    public async ValueTask<AwsError?> AuthorizeAsync(
        SigningPrincipal caller, SignedRequest request, string action, string resource, SignatureDialect dialect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (caller.IsAdmin)
        {
            return null;
        }

        var token = request.Header("X-Amz-Security-Token") ?? SessionTokenFromQuery(request.QueryString);
        var session = await sessions.FindSessionAsync(caller.AccessKeyId, token, cancellationToken).ConfigureAwait(false);
        if (session is not null)
        {
            var decision = await authorizer.EvaluateAsync(session, action, resource, new ConditionContext(), cancellationToken).ConfigureAwait(false);
            if (decision.IsSuccess && decision.Value.IsAllowed)
            {
                return null;
            }
        }

        var message = $"User: {caller.Arn} is not authorized to perform: {action} on resource: {resource}";
        return dialect == SignatureDialect.Json
            ? new AwsError("AccessDeniedException", message)
            : new AwsError("AccessDenied", message, 403);
    }

    private static string? SessionTokenFromQuery(string query)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("X-Amz-Security-Token=", StringComparison.Ordinal))
            {
                return Uri.UnescapeDataString(pair["X-Amz-Security-Token=".Length..]);
            }
        }

        return null;
    }
}
