using IdentityBroker.Limits;
using IdentityBroker.Protocol.Services;
using IdentityBroker.Protocol.Signing;
using IdentityBroker.Errors;

namespace IdentityBroker.Tests.Edge;

[TestFixture]
public sealed class AwsRouteTests
{
    [TestCase("/fakesync", ExpectedResult = true)]
    [TestCase("/fakesync/pools/p1", ExpectedResult = true)]
    [TestCase("/fakesyncx", ExpectedResult = false)]
    [TestCase("/fake", ExpectedResult = false)]
    [TestCase("/", ExpectedResult = false)]
    public bool A_rest_route_owns_its_prefix_and_the_paths_below_it_only(string path) => FakeSyncService.Route.OwnsPath(path);

    [Test]
    public void A_target_prefix_must_end_with_the_dot_before_the_operation() =>
        Assert.That(() => AwsRoute.JsonTarget("faketrail", "FakeTrail_20240101"), Throws.ArgumentException);

    [TestCase("identitypools")]
    [TestCase("/identitypools/")]
    [TestCase("/")]
    public void A_rest_prefix_is_one_absolute_path_without_a_final_slash(string prefix) =>
        Assert.That(() => AwsRoute.RestPath("fakesync", prefix), Throws.ArgumentException);

    [Test]
    public void Two_services_on_one_route_are_refused_when_the_edge_is_built()
    {
        AwsServiceRegistration[] twice =
        [
            new(FakeTrailService.Route, _ => new FakeTrailService()),
            new(AwsRoute.JsonTarget("other", FakeTrailService.TargetPrefix), _ => new FakeTrailService()),
        ];
        Assert.That(() => new AwsDispatcher(twice, new NoServices(), new NoAuthenticator(), NoLimits),
            Throws.InvalidOperationException.With.Message.Contains(FakeTrailService.TargetPrefix));
    }

    private static readonly OperationLimits NoLimits =
        new(Microsoft.Extensions.Options.Options.Create(new LimitsOptions()), new LocalRateCounter(), TimeProvider.System);

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private sealed class NoAuthenticator : IRequestAuthenticator
    {
        public ValueTask<Result<SigningPrincipal>> AuthenticateAsync(SignedRequest request, SignatureDialect dialect, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not called");
    }
}
