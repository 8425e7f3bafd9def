using System.Text.Json.Nodes;

namespace IdentityBroker.UserPools.Triggers;

/// <summary>What came of calling a trigger's function.</summary>
public abstract record FunctionOutcome
{
    private FunctionOutcome()
    {
    }

    /// <summary>The function answered the event back (a JSON object).</summary>
    public sealed record Replied(JsonObject Event) : FunctionOutcome;

    /// <summary>The function ran and returned an error (Lambda's <c>errorMessage</c>).</summary>
    public sealed record FunctionError(string Message) : FunctionOutcome;

    /// <summary>No answer in time.</summary>
    public sealed record TimedOut : FunctionOutcome;

    /// <summary>
    /// The function cannot be called: none configured for the ARN (<see cref="AccessDenied"/>, as Lambda refuses a caller
    /// without permission), or the receiver unreachable or failing without an error message (<see cref="ServiceFailure"/>).
    /// </summary>
    public sealed record NotInvoked(string Reason) : FunctionOutcome
    {
        public const string AccessDenied = "AccessDeniedException";
        public const string ServiceFailure = "ServiceException";
    }

    /// <summary>An answer that is not a JSON object.</summary>
    public sealed record Unreadable : FunctionOutcome;
}

/// <summary>The seam where a trigger's function is called: an HTTP receiver today (<see cref="HttpTriggerFunctions"/>).</summary>
public interface ITriggerFunctions
{
    Task<FunctionOutcome> InvokeAsync(string functionArn, byte[] eventJson, CancellationToken cancellationToken);
}
