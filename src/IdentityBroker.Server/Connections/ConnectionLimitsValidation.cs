using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Connections;

/// <summary>Refuses to start with connection limits that are unbounded, or larger than the descriptor limit allows.</summary>
internal sealed class ConnectionLimitsValidation(ConnectionBudget budget) : IValidateOptions<BrokerOptions>
{
    private static readonly TimeSpan LongestKeepAlive = TimeSpan.FromHours(1);
    private static readonly TimeSpan LongestHeadersTimeout = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, BrokerOptions options)
    {
        var http = options.Http;
        var failures = new List<string>();
        if (http.MaxConcurrentConnections is < 1)
        {
            failures.Add("Broker:Http:MaxConcurrentConnections must be at least 1.");
        }

        if (http.MaxConcurrentUpgradedConnections < 0)
        {
            failures.Add("Broker:Http:MaxConcurrentUpgradedConnections must not be negative.");
        }

        if (budget.Allowance is { } allowance && DescriptorProblem(http, allowance) is { } problem)
        {
            failures.Add(problem);
        }

        if (http.KeepAliveTimeout <= TimeSpan.Zero || http.KeepAliveTimeout > LongestKeepAlive)
        {
            failures.Add("Broker:Http:KeepAliveTimeout must be greater than zero and at most 1 hour.");
        }

        if (http.RequestHeadersTimeout <= TimeSpan.Zero || http.RequestHeadersTimeout > LongestHeadersTimeout)
        {
            failures.Add("Broker:Http:RequestHeadersTimeout must be greater than zero and at most 5 minutes.");
        }

        if (http.MaxRequestHeaderCount is < 1 or > 1000)
        {
            failures.Add("Broker:Http:MaxRequestHeaderCount must be between 1 and 1000.");
        }

        if (http.MaxRequestHeadersTotalSize is < 1024 or > 1024 * 1024)
        {
            failures.Add("Broker:Http:MaxRequestHeadersTotalSize must be between 1024 and 1048576 bytes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string? DescriptorProblem(HttpOptions http, long allowance)
    {
        var connections = budget.MaxConcurrentConnections(http);
        if (connections + http.MaxConcurrentUpgradedConnections <= allowance && connections >= 1)
        {
            return null;
        }

        var accounting = $"the file-descriptor limit (RLIMIT_NOFILE) is {budget.DescriptorLimit}, {budget.OpenAtStart} were open at start " +
            $"and {budget.Reserve} are kept for the runtime, the store, outbound HTTP and files, which leaves {allowance} for connections";
        var raise = "raise the limit (systemd LimitNOFILE=, compose ulimits.nofile, ulimit -n)";
        return http.MaxConcurrentConnections is null
            ? $"No connection can be served: {accounting}; {raise}."
            : $"Broker:Http:MaxConcurrentConnections ({connections}) plus Broker:Http:MaxConcurrentUpgradedConnections " +
              $"({http.MaxConcurrentUpgradedConnections}) exceeds what file descriptors allow: {accounting}. Lower the setting or {raise}.";
    }
}
