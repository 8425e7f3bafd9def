using IdentityBroker.Protocol.Signing;
using IdentityBroker.Storage;
using IdentityBroker.Sts;
using IdentityBroker.Tokens;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using IdentityBroker.Observability;

namespace IdentityBroker.Server.Hosting;

/// <summary>
/// Start-up work before the broker answers: signing keys and demo pool from the store; the issuer once listening.
/// A store that cannot work (a bad SQLite path, a corrupt file) stops the start; a store that does not answer yet
/// (<see cref="StoreUnavailableException"/>: Redis down, the SQLite file locked by another process) does not: the host
/// starts unready, protocol requests get AWS's 503, and the work is retried with a bounded back-off until the store
/// answers, when the broker becomes ready by itself.
/// </summary>
internal sealed partial class BrokerStartup(
    IOptions<BrokerOptions> options,
    IOptions<StoreStartupOptions> storeStartup,
    SigningKeyRing keys,
    IdentityBroker.Revocations.RevocationList revocations,
    DemoSeeder seeder,
    BrokerIssuer issuer,
    BrokerReadiness readiness,
    StaticPrincipalSource adminKeys,
    IServer server,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<BrokerStartup> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stopping = new();
    private Task _retries = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the admin keys now generates them (and logs where) on first start, not on the first signed call.
        ArgumentNullException.ThrowIfNull(adminKeys);
        lifetime.ApplicationStarted.Register(ResolveIssuer);
        if (!await TryLoadStateAsync(attempt: 1, cancellationToken))
        {
            _retries = RetryLoadStateAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _retries.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping while the store is still down: nothing was half-done (each attempt is idempotent).
        }
    }

    public void Dispose() => _stopping.Dispose();

    /// <returns>False when the shared store did not answer; any other failure is thrown and stops the start.</returns>
    private async Task<bool> TryLoadStateAsync(int attempt, CancellationToken cancellationToken)
    {
        try
        {
            await keys.LoadAsync(cancellationToken);

            // Before the first signed call: a replica that starts must not accept sessions revoked while it was down.
            await revocations.RefreshAsync(cancellationToken);
            await seeder.SeedAsync(cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            // The exception's message names no host, password or key: only that the store did not answer.
            LogStoreUnavailable(logger, attempt, RetryDelay(attempt).TotalMilliseconds, e.Message);
            return false;
        }

        readiness.MarkStateLoaded();
        if (attempt > 1)
        {
            LogStoreAnswered(logger, attempt);
        }

        return true;
    }

    private async Task RetryLoadStateAsync(CancellationToken stopping)
    {
        for (var attempt = 2; ; attempt++)
        {
            await Task.Delay(RetryDelay(attempt - 1), time, stopping);
            try
            {
                if (await TryLoadStateAsync(attempt, stopping))
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store answered but the state cannot be used (e.g. an unsupported key): as fatal as at a first start.
                LogStartupFailed(logger, e);
                lifetime.StopApplication();
                return;
            }
        }
    }

    /// <summary>A quarter second, doubling per failed attempt, at most <see cref="StoreStartupOptions.RetryMaxDelay"/>.</summary>
    private TimeSpan RetryDelay(int failedAttempts)
    {
        var doubling = FirstRetryDelay * Math.Pow(2, Math.Min(failedAttempts - 1, 16));
        var max = storeStartup.Value.RetryMaxDelay;
        return doubling < max ? doubling : max;
    }

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

        LogListening(logger, issuer.Url, options.Value.Sts.Mode, options.Value.DataDirectory);
        readiness.MarkListening();
    }

    [LoggerMessage(EventId = LogEvents.NoIssuer, Level = LogLevel.Critical,
        Message = "Cannot use the listen address {Address} as the token issuer: set Broker:Issuer to the broker's public https URL.")]
    private static partial void LogNoIssuer(ILogger logger, string address);

    [LoggerMessage(EventId = LogEvents.Listening, Level = LogLevel.Information, Message = "IdentityBroker listening: issuer {Issuer}, STS mode {StsMode}, data in {DataDirectory}")]
    private static partial void LogListening(ILogger logger, string issuer, StsMode stsMode, string dataDirectory);

    [LoggerMessage(EventId = LogEvents.StoreUnavailableAtStart, Level = LogLevel.Warning,
        Message = "Start-up attempt {Attempt}: the store did not answer ({Reason}); unready, next attempt in {DelayMs} ms")]
    private static partial void LogStoreUnavailable(ILogger logger, int attempt, double delayMs, string reason);

    [LoggerMessage(EventId = LogEvents.StoreAnsweredAtStart, Level = LogLevel.Information, Message = "The store answered at start-up attempt {Attempt}: signing keys loaded, ready")]
    private static partial void LogStoreAnswered(ILogger logger, int attempt);

    [LoggerMessage(EventId = LogEvents.StartupFailed, Level = LogLevel.Critical, Message = "Start-up failed after the store answered; stopping")]
    private static partial void LogStartupFailed(ILogger logger, Exception exception);
}
