using IdentityBroker.Errors;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>The errors Cognito answers when a trigger refuses, cannot be called or answers nonsense.</summary>
public static class TriggerErrors
{
    /// <summary>The function returned an error: "PreSignUp failed with error &lt;message&gt;."</summary>
    public static AwsError Failed(string trigger, string message) =>
        new("UserLambdaValidationException", $"{trigger} failed with error {message}.");

    /// <summary>
    /// The function could not be called or did not answer in time, worded as Cognito words it ("PostAuthentication
    /// invocation failed due to error Socket timeout while invoking Lambda function.", quoted in client issue trackers).
    /// </summary>
    public static AwsError InvocationFailed(string trigger, string reason) =>
        new("UnexpectedLambdaException", $"{trigger} invocation failed due to error {reason}.");

    public static AwsError Timeout(string trigger) => InvocationFailed(trigger, "Socket timeout while invoking Lambda function");

    /// <summary>The reply is not the event back (a JSON object with a response object).</summary>
    public static AwsError Unrecognizable { get; } = new("InvalidLambdaResponseException", "Unrecognizable lambda output");
}
