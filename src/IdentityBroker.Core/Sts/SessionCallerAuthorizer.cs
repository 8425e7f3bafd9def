using IdentityBroker.Errors;
using IdentityBroker.Policies;
using IdentityBroker.Protocol.Signing;

namespace IdentityBroker.Sts;

/// <summary>
/// Authorizes calls signed with embedded-STS credentials against their session's effective policy, once per resource the
/// call acts on (IAM User Guide, "Policy evaluation logic": a request on several resources needs each one allowed). The
/// request context holds what AWS provides for any call: <c>aws:SourceIp</c>, <c>aws:CurrentTime</c>, <c>aws:EpochTime</c>,
/// the session's <c>aws:PrincipalTag/…</c> (added by <see cref="SessionAuthorizer"/>), and the resource's own keys.
/// </summary>
public sealed class SessionCallerAuthorizer(StsSessionPrincipals sessions, SessionAuthorizer authorizer, TimeProvider time) : ICallerAuthorizer
{
    public async ValueTask<AwsError?> AuthorizeAsync(
        SigningPrincipal caller, SignedRequest request, string action, ResourceLookup resources, SignatureDialect dialect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(resources);
        if (caller.IsAdmin)
        {
            return null;
        }

        var token = request.Header("X-Amz-Security-Token") ?? SessionTokenFromQuery(request.QueryString);
        var session = await sessions.FindSessionAsync(caller.AccessKeyId, token, cancellationToken).ConfigureAwait(false);
        var targets = await resources(cancellationToken).ConfigureAwait(false);
        foreach (var resource in targets)
        {
            if (session is null || !await IsAllowedAsync(session, request, action, resource, cancellationToken).ConfigureAwait(false))
            {
                return Denied(caller, action, resource.Arn, dialect);
            }
        }

        return targets.Count == 0 ? Denied(caller, action, "*", dialect) : null;
    }

    private async ValueTask<bool> IsAllowedAsync(StsSession session, SignedRequest request, string action, ResourceContext resource, CancellationToken cancellationToken)
    {
        var context = new ConditionContext().SetTime(time.GetUtcNow());
        if (request.SourceIp is { } sourceIp)
        {
            context.Set("aws:SourceIp", sourceIp);
        }

        foreach (var (key, values) in resource.Keys)
        {
            context.Set(key, values);
        }

        var decision = await authorizer.EvaluateAsync(session, action, resource.Arn, context, cancellationToken).ConfigureAwait(false);
        return decision.IsSuccess && decision.Value.IsAllowed;
    }

    private static AwsError Denied(SigningPrincipal caller, string action, string resource, SignatureDialect dialect)
    {
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
