using IdentityBroker.Credentials;
using IdentityBroker.Sts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Server.Hosting;

/// <summary>Chooses the credential minter from <c>Broker:Sts</c>: AWS (or any STS URL), the embedded STS over HTTP, or in-process.</summary>
internal static class MinterSelection
{
    public static ICredentialMinter Create(IServiceProvider services)
    {
        var brokerOptions = services.GetRequiredService<IOptions<BrokerOptions>>();
        var options = brokerOptions.Value;
        if (options.Sts.Mode == StsMode.Aws)
        {
            return new StsCredentialMinter(brokerOptions);
        }

        return options.Sts.InProcess
            ? new InProcessCredentialMinter(services.GetRequiredService<EmbeddedSts>())
            : new LoopbackStsMinter(options, services.GetRequiredService<IServer>());
    }

    /// <summary>
    /// The embedded STS reached over HTTP with AWSSDK.SecurityToken, exactly as AWS STS would be: by default at the broker's
    /// own first listen address, which is known only once the server listens.
    /// </summary>
    private sealed class LoopbackStsMinter(BrokerOptions options, IServer server) : ICredentialMinter, IDisposable
    {
        private readonly Lazy<StsCredentialMinter> _minter = new(() => new StsCredentialMinter(Options.Create(WithServiceUrl(options, server))));

        public Task<MintResult> MintAsync(MintRequest request, CancellationToken cancellationToken) =>
            _minter.Value.MintAsync(request, cancellationToken);

        public void Dispose()
        {
            if (_minter.IsValueCreated)
            {
                _minter.Value.Dispose();
            }
        }

        private static BrokerOptions WithServiceUrl(BrokerOptions options, IServer server)
        {
            var url = options.Sts.ServiceUrl
                ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("The broker has no listen address for its embedded STS; set Broker:Sts:ServiceUrl.");
            return new BrokerOptions
            {
                Region = options.Region,
                AccountId = options.AccountId,
                Sts = new StsOptions { Mode = options.Sts.Mode, ServiceUrl = url.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://[::1]", StringComparison.Ordinal) },
            };
        }
    }
}
