using IdentityBroker.Errors;

namespace IdentityBroker.Sync;

/// <summary>How a Sync trigger sees one record of an UpdateRecords call: Cognito Events' <c>replace</c> or <c>remove</c>.</summary>
public enum SyncRecordOperation
{
    Replace,
    Remove,
}

/// <summary>One patched record as the Sync trigger sees it: its stored value before the call and the value the patch asks for.</summary>
public sealed record SyncTriggerRecord(string Key, string? OldValue, string? NewValue, SyncRecordOperation Operation);

/// <summary>
/// The input of a pool's Sync trigger: the dataset being written and the records the call patches (the trigger's
/// <c>datasetRecords</c>). <see cref="FunctionArn"/> is the pool's <c>SyncTrigger</c> from SetCognitoEvents.
/// </summary>
public sealed record SyncTriggerInput(
    string IdentityPoolId,
    string IdentityId,
    string DatasetName,
    string FunctionArn,
    IReadOnlyList<SyncTriggerRecord> Records);

/// <summary>
/// Called inside UpdateRecords BEFORE the write, only when the pool's Cognito Events map <c>SyncTrigger</c> to a function.
/// Returns the records to write instead (the same, changed values, or changed operations; a key not in the input is
/// ignored and a key missing from the output is not written). Refuses the whole call by returning an
/// <see cref="AwsError"/> (InvalidLambdaFunctionOutputException, LambdaThrottledException); nothing is written then.
/// </summary>
public interface ISyncEventHook
{
    ValueTask<Result<IReadOnlyList<SyncTriggerRecord>>> InvokeAsync(SyncTriggerInput input, CancellationToken cancellationToken);
}

/// <summary>The default hook: no function is invoked, the records are written as the client sent them.</summary>
public sealed class PassThroughSyncEventHook : ISyncEventHook
{
    public ValueTask<Result<IReadOnlyList<SyncTriggerRecord>>> InvokeAsync(SyncTriggerInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ValueTask.FromResult(Result<IReadOnlyList<SyncTriggerRecord>>.Ok(input.Records));
    }
}
