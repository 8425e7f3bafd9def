using IdentityBroker.Storage;
using IdentityBroker.UserPools.HostedUi;

namespace IdentityBroker.Tests.Storage;

public abstract partial class StoreContractTests
{
    private static readonly byte[] TinyPng = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    private IUiCustomizationStore UiCustomizations =>
        Store.UserPools as IUiCustomizationStore ?? throw new AssertionException("The store does not implement IUiCustomizationStore.");

    private static UiCustomization NewCustomization(string userPoolId, string clientId = UiCustomization.AllClients) =>
        new(userPoolId, clientId, ".banner-customizable { background-color: #123456; }", new UiLogo("image/png", TinyPng), T0, T0.AddMinutes(1));

    [Test]
    public async Task A_ui_customization_round_trips_per_client_survives_a_reopen_and_is_replaced_by_the_next_put()
    {
        var pool = await CreateUserPoolAsync();
        var all = NewCustomization(pool.Id);
        var client = NewCustomization(pool.Id, "client1") with { Logo = null };
        await UiCustomizations.PutUiCustomizationAsync(all, None);
        await UiCustomizations.PutUiCustomizationAsync(client, None);
        await ReopenAsync();

        AssertSameDocument(await UiCustomizations.GetUiCustomizationAsync(pool.Id, UiCustomization.AllClients, None), all);
        AssertSameDocument(await UiCustomizations.GetUiCustomizationAsync(pool.Id, "client1", None), client);
        Assert.That(await UiCustomizations.GetUiCustomizationAsync(pool.Id, "client2", None), Is.Null);

        var replaced = all with { Css = ".label-customizable { color: red; }", Logo = null, LastModifiedDate = T0.AddMinutes(5) };
        await UiCustomizations.PutUiCustomizationAsync(replaced, None);
        AssertSameDocument(await UiCustomizations.GetUiCustomizationAsync(pool.Id, UiCustomization.AllClients, None), replaced);
    }

    [Test]
    public async Task A_ui_customization_is_deleted_once_is_not_written_for_a_missing_pool_and_goes_with_its_pool()
    {
        var pool = await CreateUserPoolAsync();
        await UiCustomizations.PutUiCustomizationAsync(NewCustomization(pool.Id, "client1"), None);
        Assert.That(await UiCustomizations.DeleteUiCustomizationAsync(pool.Id, "client1", None), Is.True);
        Assert.That(await UiCustomizations.DeleteUiCustomizationAsync(pool.Id, "client1", None), Is.False);

        var missing = NewUserPool().Id;
        await UiCustomizations.PutUiCustomizationAsync(NewCustomization(missing), None);
        Assert.That(await UiCustomizations.GetUiCustomizationAsync(missing, UiCustomization.AllClients, None), Is.Null);

        await UiCustomizations.PutUiCustomizationAsync(NewCustomization(pool.Id), None);
        Assert.That(await UserPools.DeleteUserPoolAsync(pool.Id, None), Is.True);
        Assert.That(await UiCustomizations.GetUiCustomizationAsync(pool.Id, UiCustomization.AllClients, None), Is.Null);
    }
}
