using System.Text;
using System.Text.Json.Nodes;
using IdentityBroker.Errors;
using IdentityBroker.UserPools.Triggers;

namespace IdentityBroker.Sync.Delivery;

/// <summary>
/// Cognito Events' Sync trigger, called as the user-pool triggers are (<see cref="ITriggerFunctions"/>: HTTP POST to the URL
/// <c>Broker:Triggers:Functions:&lt;ARN&gt;</c> names, signed with the ARN's secret, 5 seconds to answer). The event is
/// Cognito's (version 2, eventType SyncTrigger, region, pool, identity, dataset, <c>datasetRecords</c> with each key's
/// <c>oldValue</c>, <c>newValue</c> and <c>op</c>); the function answers the event back and its <c>datasetRecords</c> are
/// what is written: a changed <c>newValue</c> or <c>op</c> is applied, a key left out is not written.
/// </summary>
public sealed class SyncTriggerInvoker(ITriggerFunctions functions) : ISyncEventHook
{
    public const int EventVersion = 2;
    public const string EventType = "SyncTrigger";

    public async ValueTask<Result<IReadOnlyList<SyncTriggerRecord>>> InvokeAsync(SyncTriggerInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var body = Encoding.UTF8.GetBytes(Event(input).ToJsonString());
        var outcome = await functions.InvokeAsync(input.FunctionArn, body, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            FunctionOutcome.Replied { Event: var reply } => SyncTriggerReply.Read(reply, input.Records),
            FunctionOutcome.FunctionError { Message: var message } => SyncTriggerErrors.FunctionFailed(message),
            FunctionOutcome.TimedOut => SyncTriggerErrors.TimedOut,
            FunctionOutcome.NotInvoked => SyncTriggerErrors.NotInvoked,
            _ => SyncTriggerErrors.Unreadable,
        };
    }

    /// <summary>The event, members in the order of the developer guide's example.</summary>
    public static JsonObject Event(SyncTriggerInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var records = new JsonObject();
        foreach (var record in input.Records)
        {
            records[record.Key] = new JsonObject
            {
                ["oldValue"] = record.OldValue,
                ["newValue"] = record.NewValue,
                ["op"] = SyncTriggerReply.Op(record.Operation),
            };
        }

        var colon = input.IdentityPoolId.IndexOf(':', StringComparison.Ordinal);
        return new JsonObject
        {
            ["version"] = EventVersion,
            ["eventType"] = EventType,
            ["region"] = colon > 0 ? input.IdentityPoolId[..colon] : input.IdentityPoolId,
            ["identityPoolId"] = input.IdentityPoolId,
            ["identityId"] = input.IdentityId,
            ["datasetName"] = input.DatasetName,
            ["datasetRecords"] = records,
        };
    }
}

/// <summary>Reads the function's answer: the event back, whose <c>datasetRecords</c> say what to write.</summary>
public static class SyncTriggerReply
{
    private const string Replace = "replace";
    private const string Remove = "remove";

    public static string Op(SyncRecordOperation operation) => operation == SyncRecordOperation.Remove ? Remove : Replace;

    /// <summary>
    /// The records to write, in the input's order: each input key the reply keeps, with the reply's op and value. A key the
    /// reply adds is ignored (the core writes only the keys the call patched). Anything but an object with a
    /// <c>datasetRecords</c> object of <c>{op: replace|remove, newValue: string}</c> entries is invalid output.
    /// </summary>
    public static Result<IReadOnlyList<SyncTriggerRecord>> Read(JsonObject reply, IReadOnlyList<SyncTriggerRecord> input)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(input);
        if (reply["datasetRecords"] is not JsonObject records)
        {
            return SyncTriggerErrors.Invalid("the reply has no datasetRecords object");
        }

        var written = new List<SyncTriggerRecord>(input.Count);
        foreach (var record in input)
        {
            if (!records.TryGetPropertyValue(record.Key, out var node))
            {
                continue;
            }

            var read = ReadRecord(record, node);
            if (!read.IsSuccess)
            {
                return read.Error!;
            }

            written.Add(read.Value);
        }

        return written;
    }

    private static Result<SyncTriggerRecord> ReadRecord(SyncTriggerRecord record, JsonNode? node)
    {
        if (node is not JsonObject entry || entry["op"] is not JsonValue op || !op.TryGetValue<string>(out var operation))
        {
            return SyncTriggerErrors.Invalid("a record has no op");
        }

        var newValue = entry["newValue"];
        string? value = null;
        if (newValue is not null && !(newValue is JsonValue v && v.TryGetValue(out value)))
        {
            return SyncTriggerErrors.Invalid("a record's newValue is not a string");
        }

        return operation switch
        {
            Replace when value is not null => record with { NewValue = value, Operation = SyncRecordOperation.Replace },
            Replace => SyncTriggerErrors.Invalid("a replaced record has no newValue"),
            Remove => record with { NewValue = null, Operation = SyncRecordOperation.Remove },
            _ => SyncTriggerErrors.Invalid("a record's op is neither replace nor remove"),
        };
    }
}

/// <summary>
/// What UpdateRecords answers when the Sync trigger fails. Cognito Sync's model has InvalidLambdaFunctionOutputException
/// ("The AWS Lambda function returned invalid output or an exception", 400) for all of them; LambdaThrottledException is
/// Lambda's own throttling, which a webhook cannot signal, so it is not given (docs/sync.md).
/// </summary>
public static class SyncTriggerErrors
{
    public const string InvalidOutput = "InvalidLambdaFunctionOutputException";

    public static AwsError Unreadable { get; } = Invalid("the reply is not a JSON object");

    public static AwsError TimedOut { get; } = new(InvalidOutput, "The Sync trigger function did not answer within 5 seconds.");

    public static AwsError NotInvoked { get; } = new(InvalidOutput, "The Sync trigger function could not be invoked.");

    public static AwsError FunctionFailed(string message) => new(InvalidOutput, $"The Sync trigger function returned an error: {message}");

    public static AwsError Invalid(string why) => new(InvalidOutput, $"The Sync trigger function returned invalid output: {why}.");
}
