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

    /// <summary>One of the three errors above (a trigger refused, could not be called, or answered nonsense).</summary>
    public static bool IsTriggerError(AwsError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Type is "UserLambdaValidationException" or "UnexpectedLambdaException" or "InvalidLambdaResponseException";
    }

    /// <summary>
    /// A trigger's error on a browser sign-in, as Cognito sends it back to the app's redirect URI: <c>error=invalid_request</c>
    /// and the exception's message followed by a space as <c>error_description</c> (quoted in client issue trackers, e.g.
    /// <c>error_description=PreSignUp+failed+with+error+User+already+exists..+&amp;error=invalid_request</c>, aws-amplify/amplify-js
    /// #14063 and #4319).
    /// </summary>
    public static AwsError ForRedirect(AwsError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new AwsError("invalid_request", error.Message + " ");
    }
}
