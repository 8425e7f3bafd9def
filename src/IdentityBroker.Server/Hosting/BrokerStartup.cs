using IdentityBroker.Protocol.Signing;
using IdentityBroker.Tokens;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IdentityBroker.Server.Hosting;

/// <summary>Start-up work before the broker answers: data directory, signing keys, demo pool; the issuer once listening.</summary>
internal sealed partial class BrokerStartup(
    BrokerOptions options,
    SigningKeyRing keys,
    DemoSeeder seeder,
    BrokerIssuer issuer,
    BrokerReadiness readiness,
    StaticPrincipalSource adminKeys,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<BrokerStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the admin keys now generates them (and logs where) on first start, not on the first signed call.
        ArgumentNullException.ThrowIfNull(adminKeys);
        await keys.LoadAsync(cancellationToken);
        await seeder.SeedAsync(cancellationToken);
        lifetime.ApplicationStarted.Register(ResolveIssuer);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void ResolveIssuer()
    {
        if (!issuer.IsResolved)
        {
            var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (first is null || BrokerOptionsValidation.IssuerProblem(first) is { } problem)
            {
                LogNoIssuer(logger, first ?? "(none)");
                lifetime.StopApplication();
                return;
            }

            issuer.Resolve(first);
        }

        LogListening(logger, issuer.Url, options.Sts.Mode, Path.GetFullPath(options.DataDirectory));
        readiness.MarkReady();
    }

    [LoggerMessage(EventId = 1003, Level = LogLevel.Critical,
        Message = "Cannot use the listen address {Address} as the token issuer: set Broker:Issuer to the broker's public https URL.")]
    private static partial void LogNoIssuer(ILogger logger, string address);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "IdentityBroker ready: issuer {Issuer}, STS mode {StsMode}, data in {DataDirectory}")]
    private static partial void LogListening(ILogger logger, string issuer, string stsMode, string dataDirectory);
}
