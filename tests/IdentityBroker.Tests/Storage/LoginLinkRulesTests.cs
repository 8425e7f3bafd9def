using IdentityBroker.Identities;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

public sealed class LoginLinkRulesTests
{
    private static readonly Identity Candidate = new() { IdentityId = "c", IdentityPoolId = "pool" };

    [Test]
    public void No_owner_and_a_new_candidate_creates_it() =>
        Assert.That(LoginLinkRules.ChooseTarget(Candidate, null, []), Is.InstanceOf<LoginLinkTarget.CreateCandidate>());

    [Test]
    public void No_owner_and_a_stored_candidate_links_to_the_candidate() =>
        Assert.That(LoginLinkRules.ChooseTarget(Candidate, "pool", []), Is.EqualTo(new LoginLinkTarget.LinkTo("c")));

    [Test]
    public void One_owner_and_a_new_candidate_links_to_the_owner() =>
        Assert.That(LoginLinkRules.ChooseTarget(Candidate, null, ["x", "x"]), Is.EqualTo(new LoginLinkTarget.LinkTo("x")));

    [Test]
    public void The_stored_candidate_owning_the_logins_links_to_itself() =>
        Assert.That(LoginLinkRules.ChooseTarget(Candidate, "pool", ["c"]), Is.EqualTo(new LoginLinkTarget.LinkTo("c")));

    [Test]
    public void A_stored_candidate_other_than_the_owner_is_refused() =>
        Assert.That(LoginLinkRules.ChooseTarget(Candidate, "pool", ["x"]), Is.InstanceOf<LoginLinkTarget.Refuse>());

    [Test]
    public void Two_owners_are_refused() =>
        Assert.That(LoginLinkRules.ChooseTarget(Candidate, null, ["x", "y"]), Is.InstanceOf<LoginLinkTarget.Refuse>());

    [Test]
    public void A_candidate_stored_in_another_pool_is_refused() =>
        Assert.That(LoginLinkRules.ChooseTarget(Candidate, "other-pool", []), Is.InstanceOf<LoginLinkTarget.Refuse>());

    [Test]
    public void A_second_subject_of_a_provider_being_added_clashes()
    {
        LoginKey[] existing = [new("accounts.google.com", "1")];

        Assert.That(LoginLinkRules.FindProviderClash(existing, [new("accounts.google.com", "2")]), Does.Contain("accounts.google.com"));
        Assert.That(LoginLinkRules.FindProviderClash([], [new("p", "1"), new("p", "2")]), Is.Not.Null);
    }

    [Test]
    public void Other_providers_and_the_same_subject_do_not_clash()
    {
        LoginKey[] existing = [new("accounts.google.com", "1"), new("dev", "a"), new("dev", "b")];

        // The identity's own earlier state (two developer users after a merge) is not re-judged when adding others.
        Assert.That(LoginLinkRules.FindProviderClash(existing, [new("graph.facebook.com", "1"), new("accounts.google.com", "1")]), Is.Null);
    }
}
