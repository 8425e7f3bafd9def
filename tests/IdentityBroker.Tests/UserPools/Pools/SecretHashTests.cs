using IdentityBroker.UserPools.Pools;
using NUnit.Framework;

namespace IdentityBroker.Tests.UserPools.Pools;

public sealed class SecretHashTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Compute_matches_an_HMAC_SHA256_computed_independently()
    {
        // HMAC-SHA256(key "secret", "alice" + "client1"), computed with: printf 'aliceclient1' | openssl dgst -sha256 -hmac secret -binary | base64
        Assert.That(SecretHash.Compute("secret", "alice", "client1"), Is.EqualTo("1f+jIZ5jrvd9T9LKNEBwDVXuGhIxTem62DTEPkKb29k="));
    }

    [Test]
    public void A_client_without_a_secret_needs_no_hash()
    {
        Assert.That(SecretHash.Check(Client(secret: null), "alice", null), Is.Null);
    }

    [Test]
    public void A_client_with_a_secret_refuses_a_missing_hash_naming_the_client()
    {
        var error = SecretHash.Check(Client("secret"), "alice", null);
        Assert.That(error?.Type, Is.EqualTo("NotAuthorizedException"));
        Assert.That(error?.Message, Is.EqualTo("Client client1 is configured for secret but secret was not received"));
    }

    [Test]
    public void A_hash_for_another_username_is_refused()
    {
        var error = SecretHash.Check(Client("secret"), "alice", SecretHash.Compute("secret", "bob", "client1"));
        Assert.That(error?.Message, Is.EqualTo("Unable to verify secret hash for client client1"));
    }

    [Test]
    public void The_right_hash_is_accepted()
    {
        Assert.That(SecretHash.Check(Client("secret"), "alice", SecretHash.Compute("secret", "alice", "client1")), Is.Null);
    }

    private static UserPoolClient Client(string? secret) => new(
        "us-east-1_Abc", "client1", secret,
        new UserPoolClientSettings("app", 30, null, null, null, null, null, null, null, null, false, "ENABLED", true),
        Now, Now);
}
