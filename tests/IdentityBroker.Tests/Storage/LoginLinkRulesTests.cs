using IdentityBroker.Identities;
using IdentityBroker.Storage;

namespace IdentityBroker.Tests.Storage;

public sealed class LoginLinkRulesTests
{
    private static readonly Identity Candidate = new() { IdentityId = "c", IdentityPoolId = "pool" };

    private static readonly DateTimeOffset Old = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void No_owner_and_a_new_candidate_creates_it() =>
        Assert.That(LoginLinkRules.ChooseTarget(Candidate, null, []), Is.InstanceOf<LoginLinkTarget.CreateCandidate>());

    [Test]
    public void No_owner_and_a_stored_candidate_links_to_the_candidate() =>
        Assert.That(LoginLinkRules.ChooseTarget(Candidate, "pool", []), Is.EqualTo(new LoginLinkTarget.LinkTo("c")));

    [Test]
    public void One_owner_and_a_new_candidate_links_to_the_owner() =>
        Assert.That(LoginLinkRules.ChooseTarget(Candidate, null, [Owner("x"), Owner("x")]), Is.EqualTo(new LoginLinkTarget.LinkTo("x")));

    [Test]
    public void The_stored_candidate_owning_the_logins_links_to_itself() =>
        Assert.That(LoginLinkRules.ChooseTarget(Candidate, "pool", [Owner("c")]), Is.EqualTo(new LoginLinkTarget.LinkTo("c")));

    [Test]
    public void A_stored_candidate_presenting_another_identity_login_is_merged_into_that_owner()
    {
        // The owner of the login wins even when the presenting identity is older: the login's id stays stable.
        var target = LoginLinkRules.ChooseTarget(Candidate, "pool", [Owner("x", Old.AddDays(9))]);

        Assert.That(target, Is.InstanceOf<LoginLinkTarget.Merge>());
        var merge = (LoginLinkTarget.Merge)target;
        Assert.That(merge.OwnerId, Is.EqualTo("x"));
        Assert.That(merge.Merged, Is.EqualTo(new[] { "c" }));
    }

    [Test]
    public void Two_owners_merge_into_the_oldest_whatever_the_order()
    {
        LoginOwner[] owners = [Owner("young", Old.AddDays(2)), Owner("old", Old), Owner("middle", Old.AddDays(1))];

        var target = (LoginLinkTarget.Merge)LoginLinkRules.ChooseTarget(Candidate, null, owners);
        var reversed = (LoginLinkTarget.Merge)LoginLinkRules.ChooseTarget(Candidate, null, owners.Reverse());

        Assert.That(target.OwnerId, Is.EqualTo("old"));
        Assert.That(target.Merged, Is.EquivalentTo(new[] { "young", "middle" }));
        Assert.That(reversed.OwnerId, Is.EqualTo("old"));
    }

    [Test]
    public void Owners_of_one_age_are_ordered_by_id() =>
        Assert.That(((LoginLinkTarget.Merge)LoginLinkRules.ChooseTarget(Candidate, null, [Owner("b"), Owner("a")])).OwnerId, Is.EqualTo("a"));

    [Test]
    public void A_candidate_stored_in_another_pool_is_refused() =>
        Assert.That(LoginLinkRules.ChooseTarget(Candidate, "other-pool", []), Is.InstanceOf<LoginLinkTarget.Refuse>());

    [Test]
    public void The_developer_provider_may_hold_several_users_and_others_may_not()
    {
        var policy = new LinkPolicy("login.dev");
        LoginKey[] existing = [new("login.dev", "u1"), new("accounts.google.com", "g1")];

        Assert.That(LoginLinkRules.CheckCombined(existing, [new("login.dev", "u2")], policy), Is.Null);
        Assert.That(LoginLinkRules.CheckCombined(existing, [new("accounts.google.com", "g2")], policy), Does.Contain("accounts.google.com"));
        Assert.That(LoginLinkRules.CheckCombined(existing, [new("login.dev", "u2")], LinkPolicy.Default), Does.Contain("login.dev"));
    }

    [Test]
    public void More_than_twenty_logins_on_one_identity_are_refused()
    {
        var policy = new LinkPolicy("dev");
        var twenty = Enumerable.Range(0, 20).Select(i => new LoginKey("dev", $"u{i}")).ToList();

        Assert.That(LoginLinkRules.CheckCombined(twenty[..19], [twenty[19]], policy), Is.Null);
        Assert.That(LoginLinkRules.CheckCombined(twenty, [new LoginKey("dev", "u20")], policy), Does.Contain("20"));
        Assert.That(LoginLinkRules.CheckCombined(twenty, [twenty[0]], policy), Is.Null, "a login already held counts once");
    }

    [Test]
    public void A_second_subject_of_a_provider_being_added_clashes()
    {
        LoginKey[] existing = [new("accounts.google.com", "1")];

        Assert.That(LoginLinkRules.FindProviderClash(existing, [new("accounts.google.com", "2")]), Does.Contain("accounts.google.com"));
        Assert.That(LoginLinkRules.FindProviderClash([], [new("p", "1"), new("p", "2")]), Is.Not.Null);
    }

    private static LoginOwner Owner(string id, DateTimeOffset? created = null) => new(id, created ?? Old);

    [Test]
    public void Other_providers_and_the_same_subject_do_not_clash()
    {
        LoginKey[] existing = [new("accounts.google.com", "1"), new("dev", "a"), new("dev", "b")];

        // The identity's own earlier state (two developer users after a merge) is not re-judged when adding others.
        Assert.That(LoginLinkRules.FindProviderClash(existing, [new("graph.facebook.com", "1"), new("accounts.google.com", "1")]), Is.Null);
    }
}
