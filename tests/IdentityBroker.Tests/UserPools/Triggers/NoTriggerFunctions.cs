using IdentityBroker.UserPools.Triggers;

namespace IdentityBroker.Tests.UserPools.Triggers;

/// <summary>For flows over pools without LambdaConfig: a call reaching a function is a bug in the flow under test.</summary>
internal sealed class NoTriggerFunctions : ITriggerFunctions
{
    public static TriggerInvoker Invoker { get; } = new(new NoTriggerFunctions());

    public Task<FunctionOutcome> InvokeAsync(string functionArn, byte[] eventJson, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("A pool without triggers called the function " + functionArn);
}
