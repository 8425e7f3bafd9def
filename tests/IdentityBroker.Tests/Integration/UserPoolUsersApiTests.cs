using System.Text.Json;
using IdentityBroker.Server.Messages;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Messages;
using IdentityBroker.UserPools.Passwords;
using IdentityBroker.UserPools.Srp;
using IdentityBroker.UserPools.Users;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// The administrative user operations (docs/user-pools.md, "Users") through the real server: creation and its
/// invitation, uniqueness of usernames and sign-in attributes, attributes and the schema, ListUsers' filter, status and
/// password changes, and Cognito's errors. Messages go to the dev outbox (no SMTP or SMS configured).
/// </summary>
[TestFixture]
public sealed class UserPoolUsersApiTests
{
    private const string Strong = "Str0ng!Passw0rd-Longer";
    private BrokerServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await BrokerServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> CallAsync(string operation, string json)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsSuccessAsync(response);
    }

    private async Task<string> ErrorAsync(string operation, string json, string type)
    {
        using var response = await _server.SignedUserPoolsAsync(operation, json);
        return await AwsErrorAssert.IsJsonErrorAsync(response, type);
    }

    private async Task<string> PoolAsync(string settings = "")
    {
        var json = $$"""{"PoolName":"users"{{(settings.Length > 0 ? "," + settings : "")}}}""";
        return (await CallAsync("CreateUserPool", json)).GetProperty("UserPool").GetProperty("Id").GetString()!;
    }

    private Task<JsonElement> CreateUserAsync(string pool, string username, string attributes = "[]", string extra = "") =>
        CallAsync("AdminCreateUser",
            $$"""{"UserPoolId":"{{pool}}","Username":"{{username}}","UserAttributes":{{attributes}},"TemporaryPassword":"{{Strong}}","MessageAction":"SUPPRESS"{{extra}}}""");

    private Task<JsonElement> GetUserAsync(string pool, string username) =>
        CallAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"{{username}}"}""");

    private static string? Attribute(JsonElement attributes, string name) =>
        attributes.EnumerateArray().Where(a => a.GetProperty("Name").GetString() == name).Select(a => a.GetProperty("Value").GetString()).FirstOrDefault();

    private async Task<PoolUser> StoredAsync(string pool, string sub) =>
        (await _server.Services.GetRequiredService<IUserStore>().GetUserAsync(pool, sub, CancellationToken.None))!;

    [Test]
    public async Task AdminCreateUser_makes_a_force_change_password_user_with_a_sub_and_AdminGetUser_reads_it_back()
    {
        var pool = await PoolAsync();

        var user = (await CreateUserAsync(pool, "alice", """[{"Name":"email","Value":"alice@example.com"},{"Name":"name","Value":"Alice"}]"""))
            .GetProperty("User");
        var got = await GetUserAsync(pool, "alice");

        var sub = Attribute(user.GetProperty("Attributes"), "sub");
        Assert.Multiple(() =>
        {
            Assert.That(user.GetProperty("Username").GetString(), Is.EqualTo("alice"));
            Assert.That(user.GetProperty("UserStatus").GetString(), Is.EqualTo("FORCE_CHANGE_PASSWORD"));
            Assert.That(user.GetProperty("Enabled").GetBoolean(), Is.True);
            Assert.That(Guid.TryParse(sub, out _), Is.True, "sub is a UUID attribute");
            Assert.That(user.GetRawText(), Does.Not.Contain(Strong), "the password is never returned");
            Assert.That(got.GetProperty("Username").GetString(), Is.EqualTo("alice"));
            Assert.That(Attribute(got.GetProperty("UserAttributes"), "sub"), Is.EqualTo(sub));
            Assert.That(Attribute(got.GetProperty("UserAttributes"), "name"), Is.EqualTo("Alice"));
            Assert.That(got.GetProperty("UserCreateDate").GetDouble(), Is.GreaterThan(1.7e9));
        });
    }

    [Test]
    public async Task A_taken_username_is_UsernameExistsException_and_an_unknown_user_is_UserNotFoundException()
    {
        var pool = await PoolAsync();
        await CreateUserAsync(pool, "bob");

        using var again = await _server.SignedUserPoolsAsync("AdminCreateUser",
            $$"""{"UserPoolId":"{{pool}}","Username":"bob","TemporaryPassword":"{{Strong}}","MessageAction":"SUPPRESS"}""");
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(again, "UsernameExistsException"), Is.EqualTo("User account already exists"));
        Assert.That(await ErrorAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"nobody"}""", "UserNotFoundException"),
            Is.EqualTo("User does not exist."));
        Assert.That(await ErrorAsync("AdminGetUser", """{"UserPoolId":"us-east-1_missing00","Username":"bob"}""", "ResourceNotFoundException"),
            Is.EqualTo("User pool us-east-1_missing00 does not exist."));
        Assert.That(await ErrorAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}"}""", "ValidationException"), Does.Contain("'username'"));
    }

    [Test]
    public async Task Usernames_are_case_sensitive_by_default_and_unique_in_any_case_when_the_pool_says_so()
    {
        var sensitive = await PoolAsync();
        var insensitive = await PoolAsync("""
            "UsernameConfiguration":{"CaseSensitive":false}
            """);
        await CreateUserAsync(sensitive, "Carol");
        await CreateUserAsync(insensitive, "Carol");

        await CreateUserAsync(sensitive, "carol");
        await ErrorAsync("AdminCreateUser",
            $$"""{"UserPoolId":"{{insensitive}}","Username":"CAROL","TemporaryPassword":"{{Strong}}","MessageAction":"SUPPRESS"}""",
            "UsernameExistsException");
        Assert.That((await GetUserAsync(insensitive, "cArOl")).GetProperty("Username").GetString(), Is.EqualTo("Carol"));
        var described = (await CallAsync("DescribeUserPool", $$"""{"UserPoolId":"{{insensitive}}"}""")).GetProperty("UserPool");
        Assert.That(described.GetProperty("UsernameConfiguration").GetProperty("CaseSensitive").GetBoolean(), Is.False);
    }

    [Test]
    public async Task With_email_as_username_attribute_the_username_is_the_sub_and_the_email_signs_in_and_is_unique()
    {
        var pool = await PoolAsync("""
            "UsernameAttributes":["email"]
            """);

        var user = (await CreateUserAsync(pool, "dana@example.com")).GetProperty("User");
        var byEmail = await GetUserAsync(pool, "dana@example.com");

        var sub = Attribute(user.GetProperty("Attributes"), "sub");
        Assert.That(user.GetProperty("Username").GetString(), Is.EqualTo(sub));
        Assert.That(Attribute(user.GetProperty("Attributes"), "email"), Is.EqualTo("dana@example.com"));
        Assert.That(byEmail.GetProperty("Username").GetString(), Is.EqualTo(sub));
        Assert.That(await ErrorAsync("AdminCreateUser",
                $$"""{"UserPoolId":"{{pool}}","Username":"dana@example.com","TemporaryPassword":"{{Strong}}","MessageAction":"SUPPRESS"}""",
                "UsernameExistsException"),
            Is.EqualTo("An account with the given email already exists."));
        Assert.That(await ErrorAsync("AdminCreateUser", $$"""{"UserPoolId":"{{pool}}","Username":"dana"}""", "InvalidParameterException"),
            Is.EqualTo("Username should be either an email or a phone number."));
    }

    [Test]
    public async Task A_verified_email_alias_is_unique_an_unverified_one_is_not_and_ForceAliasCreation_moves_it()
    {
        var pool = await PoolAsync("""
            "AliasAttributes":["email","preferred_username"]
            """);
        const string verified = """[{"Name":"email","Value":"eve@example.com"},{"Name":"email_verified","Value":"true"}]""";
        await CreateUserAsync(pool, "eve", verified);
        await CreateUserAsync(pool, "unverified", """[{"Name":"email","Value":"eve@example.com"}]""");

        var taken = await ErrorAsync("AdminCreateUser",
            $$"""{"UserPoolId":"{{pool}}","Username":"eve2","UserAttributes":{{verified}},"TemporaryPassword":"{{Strong}}","MessageAction":"SUPPRESS"}""",
            "AliasExistsException");
        await CreateUserAsync(pool, "eve3", verified, ""","ForceAliasCreation":true""");

        Assert.That(taken, Is.EqualTo("An account with the given email already exists."));
        Assert.That((await GetUserAsync(pool, "eve@example.com")).GetProperty("Username").GetString(), Is.EqualTo("eve3"));
        Assert.That(Attribute((await GetUserAsync(pool, "eve")).GetProperty("UserAttributes"), "email_verified"), Is.EqualTo("false"));
        Assert.That(await ErrorAsync("AdminCreateUser", $$"""{"UserPoolId":"{{pool}}","Username":"x@example.com"}""", "InvalidParameterException"),
            Is.EqualTo("Username cannot be of email format, since user pool is configured for email alias."));
    }

    [Test]
    public async Task The_invitation_goes_to_the_desired_medium_SUPPRESS_sends_nothing_and_RESEND_sends_a_new_temporary_password()
    {
        var pool = await PoolAsync("""
            "Policies":{"PasswordPolicy":{"MinimumLength":16,"RequireUppercase":true,"RequireLowercase":true,"RequireNumbers":true,"RequireSymbols":true}}
            """);
        const string email = """[{"Name":"email","Value":"inv@example.com"}]""";

        await CallAsync("AdminCreateUser",
            $$"""{"UserPoolId":"{{pool}}","Username":"invited","UserAttributes":{{email}},"DesiredDeliveryMediums":["EMAIL"]}""");
        await CreateUserAsync(pool, "suppressed", email);
        await CallAsync("AdminCreateUser", $$"""{"UserPoolId":"{{pool}}","Username":"invited","MessageAction":"RESEND","DesiredDeliveryMediums":["EMAIL"]}""");

        var messages = _server.Services.GetRequiredService<DevOutbox>().Read(pool, null);
        Assert.That(messages.Select(m => (m.Username, m.Channel, m.Purpose, m.Destination)), Is.EqualTo(new[]
        {
            ("invited", MessageChannel.Email, MessagePurpose.Invitation, "inv@example.com"),
            ("invited", MessageChannel.Email, MessagePurpose.Invitation, "inv@example.com"),
        }));
        var passwords = messages.Select(m => m.Body.Split("temporary password is ")[1].TrimEnd(' ', '.')).ToList();
        Assert.That(passwords[0], Is.Not.EqualTo(passwords[1]));
        var policy = new PasswordPolicy { MinimumLength = 16 };
        Assert.That(passwords.Select(p => PasswordPolicyCheck.Check(policy, p)), Is.All.Null, "generated passwords satisfy the policy");
        Assert.That(await ErrorAsync("AdminCreateUser", $$"""{"UserPoolId":"{{pool}}","Username":"ghost","MessageAction":"RESEND"}""",
            "UserNotFoundException"), Is.EqualTo("User does not exist."));
    }

    [Test]
    public async Task A_temporary_password_against_the_policy_is_InvalidPasswordException_naming_the_clause_and_creates_nobody()
    {
        var pool = await PoolAsync();

        var message = await ErrorAsync("AdminCreateUser",
            $$"""{"UserPoolId":"{{pool}}","Username":"weak","TemporaryPassword":"alllowercase1!","MessageAction":"SUPPRESS"}""",
            "InvalidPasswordException");

        Assert.That(message, Is.EqualTo("Password did not conform with policy: Password must have uppercase characters"));
        await ErrorAsync("AdminGetUser", $$"""{"UserPoolId":"{{pool}}","Username":"weak"}""", "UserNotFoundException");
    }

    [Test]
    public async Task Schema_types_and_constraints_hold_at_creation_and_update_and_an_immutable_attribute_is_set_once()
    {
        var pool = await PoolAsync("""
            "Schema":[{"Name":"tenant","AttributeDataType":"String","Mutable":false,"StringAttributeConstraints":{"MinLength":"2","MaxLength":"8"}},
            {"Name":"age","AttributeDataType":"Number","NumberAttributeConstraints":{"MinValue":"0","MaxValue":"150"}}]
            """);
        var tooLong = await ErrorAsync("AdminCreateUser",
            $$"""{"UserPoolId":"{{pool}}","Username":"long","UserAttributes":[{"Name":"custom:tenant","Value":"acme-corp"}],"MessageAction":"SUPPRESS"}""",
            "InvalidParameterException");
        await CreateUserAsync(pool, "fits", """[{"Name":"custom:tenant","Value":"acme"},{"Name":"custom:age","Value":"42"}]""");

        var immutable = await ErrorAsync("AdminUpdateUserAttributes",
            $$"""{"UserPoolId":"{{pool}}","Username":"fits","UserAttributes":[{"Name":"custom:tenant","Value":"other"}]}""", "InvalidParameterException");
        var tooOld = await ErrorAsync("AdminUpdateUserAttributes",
            $$"""{"UserPoolId":"{{pool}}","Username":"fits","UserAttributes":[{"Name":"custom:age","Value":"151"}]}""", "InvalidParameterException");
        await CallAsync("AdminUpdateUserAttributes",
            $$"""{"UserPoolId":"{{pool}}","Username":"fits","UserAttributes":[{"Name":"custom:age","Value":"43"}]}""");
        var attributes = (await GetUserAsync(pool, "fits")).GetProperty("UserAttributes");

        Assert.Multiple(() =>
        {
            Assert.That(tooLong, Is.EqualTo("Attributes did not conform to the schema: custom:tenant: String must be no longer than 8 characters."));
            Assert.That(immutable, Is.EqualTo("user.custom:tenant: Attribute cannot be updated."));
            Assert.That(tooOld, Is.EqualTo("user.custom:age: Number must be no greater than 150."));
            Assert.That(Attribute(attributes, "custom:tenant"), Is.EqualTo("acme"), "the refused update changed nothing");
            Assert.That(Attribute(attributes, "custom:age"), Is.EqualTo("43"));
        });
    }

    [Test]
    public async Task Custom_attributes_must_be_in_the_schema_and_AddCustomAttributes_puts_them_there()
    {
        var pool = await PoolAsync("""
            "Schema":[{"Name":"email","AttributeDataType":"String","Required":true},{"Name":"team","AttributeDataType":"String"}]
            """);
        const string tier = """[{"Name":"custom:tier","Value":"gold"}]""";

        var unknown = await ErrorAsync("AdminCreateUser", $$"""{"UserPoolId":"{{pool}}","Username":"frank","UserAttributes":{{tier}}}""",
            "InvalidParameterException");
        await CallAsync("AddCustomAttributes", $$"""{"UserPoolId":"{{pool}}","CustomAttributes":[{"Name":"tier","AttributeDataType":"String","Mutable":true}]}""");
        var created = (await CreateUserAsync(pool, "frank", """[{"Name":"custom:tier","Value":"gold"},{"Name":"custom:team","Value":"id"}]""")).GetProperty("User");
        var again = await ErrorAsync("AddCustomAttributes", $$"""{"UserPoolId":"{{pool}}","CustomAttributes":[{"Name":"tier"}]}""",
            "InvalidParameterException");
        var schema = (await CallAsync("DescribeUserPool", $$"""{"UserPoolId":"{{pool}}"}""")).GetProperty("UserPool").GetProperty("SchemaAttributes")
            .EnumerateArray().ToDictionary(a => a.GetProperty("Name").GetString()!, a => a);

        Assert.Multiple(() =>
        {
            Assert.That(unknown, Is.EqualTo("Attributes did not conform to the schema: custom:tier: Attribute does not exist in the schema."));
            Assert.That(Attribute(created.GetProperty("Attributes"), "custom:tier"), Is.EqualTo("gold"));
            Assert.That(again, Is.EqualTo("custom:tier: Existing attribute already has name custom:tier."));
            Assert.That(schema.Keys, Is.SupersetOf(new[] { "sub", "email", "phone_number", "custom:team", "custom:tier" }));
            Assert.That(schema["email"].GetProperty("Required").GetBoolean(), Is.True);
            Assert.That(schema["sub"].GetProperty("Mutable").GetBoolean(), Is.False);
        });
    }

    [Test]
    public async Task ListUsers_pages_in_creation_order_filters_with_equals_and_prefix_and_refuses_a_bad_filter()
    {
        var pool = await PoolAsync();
        foreach (var (name, email) in new[] { ("u1", "a1@x.com"), ("u2", "b@y.com"), ("u3", "a3@x.com") })
        {
            await CreateUserAsync(pool, name, $$"""[{"Name":"email","Value":"{{email}}"},{"Name":"given_name","Value":"G"}]""");
        }

        await CallAsync("AdminDisableUser", $$"""{"UserPoolId":"{{pool}}","Username":"u3"}""");

        async Task<List<string>> Names(string extra) =>
            [.. (await CallAsync("ListUsers", $$"""{"UserPoolId":"{{pool}}"{{extra}}}""")).GetProperty("Users").EnumerateArray()
                .Select(u => u.GetProperty("Username").GetString()!)];

        var first = await CallAsync("ListUsers", $$"""{"UserPoolId":"{{pool}}","Limit":2}""");
        var token = first.GetProperty("PaginationToken").GetString();
        var onlyEmail = (await CallAsync("ListUsers", $$"""{"UserPoolId":"{{pool}}","AttributesToGet":["email"]}""")).GetProperty("Users")[0];

        Assert.Multiple(async () =>
        {
            Assert.That(first.GetProperty("Users").GetArrayLength(), Is.EqualTo(2));
            Assert.That(await Names($$""","PaginationToken":"{{token}}","Limit":2"""), Is.EqualTo(new[] { "u3" }));
            Assert.That(await Names(""","Filter":"email ^= \"a\"" """), Is.EqualTo(new[] { "u1", "u3" }));
            Assert.That(await Names(""","Filter":"email = \"b@y.com\"" """), Is.EqualTo(new[] { "u2" }));
            Assert.That(await Names(""","Filter":"status = \"Disabled\"" """), Is.EqualTo(new[] { "u3" }));
            Assert.That(await Names(""","Filter":"cognito:user_status = \"force_change_password\"" """), Has.Count.EqualTo(3));
            Assert.That(await Names(""","Filter":"email ^= \"a\"","Limit":1"""), Is.EqualTo(new[] { "u1" }));
            Assert.That(onlyEmail.GetProperty("Attributes").EnumerateArray().Select(a => a.GetProperty("Name").GetString()),
                Is.EqualTo(new[] { "email" }));
        });
        foreach (var bad in new[] { "email", "email ~ \\\"a\\\"", "custom:tier = \\\"a\\\"", "email = a", "email = \\\"a" })
        {
            Assert.That(await ErrorAsync("ListUsers", $$"""{"UserPoolId":"{{pool}}","Filter":"{{bad}}"}""", "InvalidParameterException"),
                Is.EqualTo("Error while parsing filter."), bad);
        }
    }

    [Test]
    public async Task Updating_an_email_unverifies_it_deleting_removes_it_and_unknown_attributes_are_refused()
    {
        var pool = await PoolAsync();
        await CreateUserAsync(pool, "gina", """[{"Name":"email","Value":"g@x.com"},{"Name":"email_verified","Value":"true"}]""");

        await CallAsync("AdminUpdateUserAttributes",
            $$"""{"UserPoolId":"{{pool}}","Username":"gina","UserAttributes":[{"Name":"email","Value":"new@x.com"},{"Name":"nickname","Value":"G"}]}""");
        var updated = (await GetUserAsync(pool, "gina")).GetProperty("UserAttributes");
        await CallAsync("AdminDeleteUserAttributes", $$"""{"UserPoolId":"{{pool}}","Username":"gina","UserAttributeNames":["email","nickname"]}""");
        var deleted = (await GetUserAsync(pool, "gina")).GetProperty("UserAttributes");

        Assert.Multiple(async () =>
        {
            Assert.That((Attribute(updated, "email"), Attribute(updated, "email_verified"), Attribute(updated, "nickname")),
                Is.EqualTo(("new@x.com", "false", "G")));
            Assert.That(deleted.EnumerateArray().Select(a => a.GetProperty("Name").GetString()), Is.EqualTo(new[] { "sub" }));
            Assert.That(await ErrorAsync("AdminUpdateUserAttributes",
                    $$"""{"UserPoolId":"{{pool}}","Username":"gina","UserAttributes":[{"Name":"custom:nope","Value":"1"}]}""", "InvalidParameterException"),
                Is.EqualTo("user.custom:nope: Attribute does not exist in the schema."));
            Assert.That(await ErrorAsync("AdminUpdateUserAttributes",
                    $$"""{"UserPoolId":"{{pool}}","Username":"gina","UserAttributes":[{"Name":"email","Value":"not-an-email"}]}""", "InvalidParameterException"),
                Is.EqualTo("Invalid email address format."));
            Assert.That(await ErrorAsync("AdminUpdateUserAttributes",
                $$"""{"UserPoolId":"{{pool}}","Username":"gina","UserAttributes":[{"Name":"sub","Value":"x"}]}""", "InvalidParameterException"), Does.Contain("sub"));
        });
    }

    [Test]
    public async Task Disabling_enabling_and_deleting_a_user()
    {
        var pool = await PoolAsync();
        await CreateUserAsync(pool, "hank");
        var user = $$"""{"UserPoolId":"{{pool}}","Username":"hank"}""";

        await CallAsync("AdminDisableUser", user);
        var disabled = (await GetUserAsync(pool, "hank")).GetProperty("Enabled").GetBoolean();
        await CallAsync("AdminEnableUser", user);
        var enabled = (await GetUserAsync(pool, "hank")).GetProperty("Enabled").GetBoolean();
        await CallAsync("AdminDeleteUser", user);

        Assert.That((disabled, enabled), Is.EqualTo((false, true)));
        await ErrorAsync("AdminGetUser", user, "UserNotFoundException");
        await ErrorAsync("AdminDeleteUser", user, "UserNotFoundException");
        await CreateUserAsync(pool, "hank");
    }

    [Test]
    public async Task AdminSetUserPassword_sets_hash_and_srp_verifier_together_and_the_status_the_permanence_asks()
    {
        var pool = await PoolAsync("""
            "Policies":{"PasswordPolicy":{"MinimumLength":8,"RequireNumbers":true,"PasswordHistorySize":2}}
            """);
        var sub = Attribute((await CreateUserAsync(pool, "ivy")).GetProperty("User").GetProperty("Attributes"), "sub")!;
        var user = $$"""{"UserPoolId":"{{pool}}","Username":"ivy" """;

        await CallAsync("AdminSetUserPassword", user + ""","Password":"permanent1","Permanent":true}""");
        var permanent = await StoredAsync(pool, sub);
        await CallAsync("AdminSetUserPassword", user + ""","Password":"temporary2"}""");
        var temporary = await StoredAsync(pool, sub);

        var hashes = _server.Services.GetRequiredService<PasswordHashes>();
        var credential = permanent.Password!;
        var expectedVerifier = SrpVerifier.Create(UserPasswords.PoolName(pool), "ivy", "permanent1", credential.Srp.SaltValue);
        Assert.Multiple(async () =>
        {
            Assert.That(permanent.UserStatus, Is.EqualTo(UserStatuses.Confirmed));
            Assert.That(credential.TemporaryExpiresAt, Is.Null);
            Assert.That(hashes.Verify(credential.Hash, "permanent1"), Is.EqualTo(PasswordCheck.Match));
            Assert.That(credential.Srp.Verifier, Is.EqualTo(expectedVerifier.Verifier));
            Assert.That(temporary.UserStatus, Is.EqualTo(UserStatuses.ForceChangePassword));
            Assert.That(temporary.Password!.TemporaryExpiresAt, Is.Not.Null);
            Assert.That(await ErrorAsync("AdminSetUserPassword", user + ""","Password":"short1"}""", "InvalidPasswordException"),
                Is.EqualTo("Password did not conform with policy: Password not long enough"));
            Assert.That(await ErrorAsync("AdminSetUserPassword", user + ""","Password":"permanent1","Permanent":true}""",
                "PasswordHistoryPolicyViolationException"), Does.Contain("previously been used"));
            Assert.That(await ErrorAsync("AdminSetUserPassword", user + "}", "ValidationException"), Does.Contain("'password'"));
        });
    }

    [Test]
    public async Task AdminConfirmSignUp_confirms_an_unconfirmed_user_only()
    {
        var pool = await PoolAsync();
        await CreateUserAsync(pool, "jack");
        var store = _server.Services.GetRequiredService<IUserStore>();
        var now = DateTimeOffset.UtcNow;
        var unconfirmed = new PoolUser
        {
            UserPoolId = pool, Username = "kim", Sub = Guid.NewGuid().ToString(), UserStatus = UserStatuses.Unconfirmed,
            CreationDate = now, LastModifiedDate = now,
        };
        await store.TryCreateUserAsync(unconfirmed, ["username:kim"], CancellationToken.None);

        await CallAsync("AdminConfirmSignUp", $$"""{"UserPoolId":"{{pool}}","Username":"kim"}""");

        Assert.That((await StoredAsync(pool, unconfirmed.Sub)).UserStatus, Is.EqualTo(UserStatuses.Confirmed));
        Assert.That(await ErrorAsync("AdminConfirmSignUp", $$"""{"UserPoolId":"{{pool}}","Username":"jack"}""", "NotAuthorizedException"),
            Does.Contain("FORCE_CHANGE_PASSWORD"));
    }
}
