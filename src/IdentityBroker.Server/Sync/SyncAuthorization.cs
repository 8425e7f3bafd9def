using IdentityBroker.Errors;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Sts;
using IdentityBroker.Sync;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Sync;

/// <summary>
/// Who may make a Cognito Sync call, as AWS decides it (docs/sync.md, "Authorization"). Pool-level calls: the broker's
/// admin credentials. Identity-level calls: the admin credentials, or the identity's own temporary credentials from
/// GetCredentialsForIdentity — the session's identity (the broker token it was assumed with) must be the path's, and the
/// session's role policy must allow <c>cognito-sync:&lt;Operation&gt;</c> on the dataset's ARN (or the identity's, for calls
/// with no dataset), evaluated by the embedded STS's policy evaluator with the session's policy variables.
/// </summary>
internal sealed class SyncAuthorization(StsSessionPrincipals sessions, ICallerAuthorizer authorizer, IOptions<BrokerOptions> options)
{
    public static AwsError? Pool(AwsCall call) => call.Caller is { IsAdmin: true }
        ? null
        : SyncErrors.NotAuthorized("Identity pool-level Cognito Sync calls need the broker's admin credentials.");

    public async Task<AwsError?> IdentityAsync(AwsCall call, SyncTarget target, CancellationToken cancellationToken)
    {
        if (call.Caller is not { } caller)
        {
            return SyncErrors.NotAuthorized("The request is not signed.");
        }

        if (caller.IsAdmin)
        {
            return null;
        }

        var session = await sessions.FindSessionAsync(caller.AccessKeyId, call.Request.Header("X-Amz-Security-Token"), cancellationToken)
            .ConfigureAwait(false);
        if (session?.BrokerScope is not { } scope || scope.IdentityId != target.IdentityId || scope.IdentityPoolId != target.PoolId)
        {
            return SyncErrors.NotAuthorized("These credentials do not belong to this identity: an identity reaches only its own datasets.");
        }

        var arn = ResourceArn(target);
        var denied = await authorizer.AuthorizeAsync(caller, call.Request, "cognito-sync:" + target.Operation,
            _ => ValueTask.FromResult<IReadOnlyList<ResourceContext>>([ResourceContext.Named(arn)]), SignatureDialect.Json, cancellationToken)
            .ConfigureAwait(false);
        return denied is null ? null : SyncErrors.NotAuthorized(denied.Message);
    }

    /// <summary>The dataset's ARN, or the identity's for calls on no dataset (Service Authorization Reference, Amazon Cognito Sync).</summary>
    public string ResourceArn(SyncTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var identity = $"arn:aws:cognito-sync:{options.Value.Region}:{options.Value.AccountId}:identitypool/{target.PoolId}/identity/{target.IdentityId}";
        return target.DatasetName is null ? identity : $"{identity}/dataset/{target.DatasetName}";
    }
}
