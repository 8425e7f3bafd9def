using System.Text.Json;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Users;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityBroker.Tests.Integration;

/// <summary>
/// Groups, memberships and tags of a user pool through the real server: Cognito's errors and wording, the model's
/// validation, tags shared with UserPoolTags, and authorization of temporary credentials on the pool ARN with the
/// tag condition keys. Users are put in the broker's user store directly, so these tests do not depend on the user operations.
/// </summary>
[TestFixture]
public sealed class UserPoolGroupsApiTests
{
    private const string AdminRole = "arn:aws:iam::000000000000:role/Admins";
    private const string ReaderRole = "arn:aws:iam::000000000000:role/Readers";
    private BrokerServer _server = null!;
    private TemporaryCallers _callers = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await BrokerServer.StartAsync();
        _callers = await TemporaryCallers.CreateAsync(_server);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static string UserPoolArn(string id) => $"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{id}";

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

    private async Task<string> NewPoolAsync(string tags = "{}") =>
        (await CallAsync("CreateUserPool", $$"""{"PoolName":"Groups","UserPoolTags":{{tags}}}""")).GetProperty("UserPool").GetProperty("Id").GetString()!;

    private async Task<PoolUser> NewUserAsync(string poolId, string username)
    {
        var pool = (await _server.Services.GetRequiredService<IUserPoolStore>().GetUserPoolAsync(poolId, CancellationToken.None))!;
        var now = DateTimeOffset.UtcNow;
        var user = new PoolUser
        {
            UserPoolId = poolId,
            Username = username,
            Sub = Guid.NewGuid().ToString(),
            UserStatus = UserStatuses.Confirmed,
            Attributes = new Dictionary<string, string> { ["email"] = username + "@example.com" },
            CreationDate = now,
            LastModifiedDate = now,
        };
        var write = await _server.Services.GetRequiredService<IUserStore>().TryCreateUserAsync(user, UserKeys.Of(pool, user), CancellationToken.None);
        Assert.That(write.Status, Is.EqualTo(UserWriteStatus.Written));
        return write.User!;
    }

    [Test]
    public async Task A_group_is_created_read_in_any_case_updated_in_part_listed_by_page_and_deleted()
    {
        var pool = await NewPoolAsync();
        var created = (await CallAsync("CreateGroup", $$"""
            {"UserPoolId":"{{pool}}","GroupName":"Admins","Description":"the admins","RoleArn":"{{AdminRole}}","Precedence":1}
            """)).GetProperty("Group");
        await CallAsync("CreateGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"readers"}""");
        var read = (await CallAsync("GetGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"admins"}""")).GetProperty("Group");
        var duplicate = await ErrorAsync("CreateGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"ADMINS"}""", "GroupExistsException");
        var updated = (await CallAsync("UpdateGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"Admins","Description":"renamed"}""")).GetProperty("Group");
        var first = await CallAsync("ListGroups", $$"""{"UserPoolId":"{{pool}}","Limit":1}""");
        var second = await CallAsync("ListGroups",
            $$"""{"UserPoolId":"{{pool}}","Limit":1,"NextToken":"{{first.GetProperty("NextToken").GetString()}}"}""");

        Assert.Multiple(() =>
        {
            Assert.That(created.GetProperty("GroupName").GetString(), Is.EqualTo("Admins"));
            Assert.That(created.GetProperty("UserPoolId").GetString(), Is.EqualTo(pool));
            Assert.That(created.GetProperty("CreationDate").GetDouble(), Is.GreaterThan(1.7e9), "epoch seconds");
            Assert.That(read.GetProperty("GroupName").GetString(), Is.EqualTo("Admins"), "the name as created");
            Assert.That(read.GetProperty("RoleArn").GetString(), Is.EqualTo(AdminRole));
            Assert.That(duplicate, Is.EqualTo("A group with the name already exists."));
            Assert.That(updated.GetProperty("Description").GetString(), Is.EqualTo("renamed"));
            Assert.That(updated.GetProperty("RoleArn").GetString(), Is.EqualTo(AdminRole), "members the update leaves out are kept");
            Assert.That(updated.GetProperty("Precedence").GetInt32(), Is.EqualTo(1));
            Assert.That(first.GetProperty("Groups")[0].GetProperty("GroupName").GetString(), Is.EqualTo("Admins"));
            Assert.That(second.GetProperty("Groups")[0].GetProperty("GroupName").GetString(), Is.EqualTo("readers"));
            Assert.That(second.TryGetProperty("NextToken", out _), Is.False);
        });

        await CallAsync("DeleteGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"Admins"}""");
        Assert.That(await ErrorAsync("GetGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"Admins"}""", "ResourceNotFoundException"),
            Is.EqualTo("Group not found."));
        Assert.That(await ErrorAsync("DeleteGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"Admins"}""", "ResourceNotFoundException"),
            Is.EqualTo("Group not found."));
    }

    [TestCase("CreateGroup")]
    [TestCase("GetGroup")]
    [TestCase("ListGroups")]
    [TestCase("AdminListGroupsForUser")]
    public async Task A_group_call_on_a_missing_pool_names_the_pool(string operation)
    {
        var message = await ErrorAsync(operation, """{"UserPoolId":"us-east-1_Missing00","GroupName":"g","Username":"u"}""", "ResourceNotFoundException");

        Assert.That(message, Is.EqualTo("User pool us-east-1_Missing00 does not exist."));
    }

    [TestCase("""{"UserPoolId":"us-east-1_abc","GroupName":"g","RoleArn":"not-an-arn-but-long-enough"}""", "at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:")]
    [TestCase("""{"UserPoolId":"us-east-1_abc","GroupName":"g","Precedence":-1}""", "Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0")]
    [TestCase("""{"UserPoolId":"us-east-1_abc","GroupName":"a b"}""", "at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [TestCase("""{"UserPoolId":"us-east-1_abc"}""", "Value null at 'groupName' failed to satisfy constraint: Member must not be null")]
    public async Task Group_inputs_outside_the_model_are_refused_with_the_front_ends_wording(string json, string expected)
    {
        Assert.That(await ErrorAsync("CreateGroup", json, "ValidationException"), Does.Contain(expected));
    }

    [Test]
    public async Task A_limit_above_sixty_and_a_foreign_next_token_are_refused()
    {
        var pool = await NewPoolAsync();

        Assert.That(await ErrorAsync("ListGroups", $$"""{"UserPoolId":"{{pool}}","Limit":61}""", "ValidationException"),
            Does.Contain("Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"));
        await ErrorAsync("ListGroups", $$"""{"UserPoolId":"{{pool}}","NextToken":"AQEAAAAAAAAAAQ"}""", "InvalidParameterException");
    }

    [Test]
    public async Task Users_are_added_by_username_or_alias_listed_both_ways_and_removed()
    {
        var pool = await NewPoolAsync();
        var alice = await NewUserAsync(pool, "alice");
        await NewUserAsync(pool, "bob");
        await CallAsync("CreateGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"admins","RoleArn":"{{AdminRole}}","Precedence":0}""");
        await CallAsync("CreateGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"readers","RoleArn":"{{ReaderRole}}","Precedence":5}""");

        await CallAsync("AdminAddUserToGroup", $$"""{"UserPoolId":"{{pool}}","Username":"alice","GroupName":"readers"}""");
        await CallAsync("AdminAddUserToGroup", $$"""{"UserPoolId":"{{pool}}","Username":"alice","GroupName":"Admins"}""");
        await CallAsync("AdminAddUserToGroup", $$"""{"UserPoolId":"{{pool}}","Username":"alice","GroupName":"admins"}""");
        await CallAsync("AdminAddUserToGroup", $$"""{"UserPoolId":"{{pool}}","Username":"bob","GroupName":"admins"}""");
        var groups = (await CallAsync("AdminListGroupsForUser", $$"""{"UserPoolId":"{{pool}}","Username":"alice"}""")).GetProperty("Groups");
        var members = (await CallAsync("ListUsersInGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"admins"}""")).GetProperty("Users");

        Assert.Multiple(() =>
        {
            Assert.That(groups.EnumerateArray().Select(g => g.GetProperty("GroupName").GetString()), Is.EqualTo(new[] { "readers", "admins" }));
            Assert.That(members.EnumerateArray().Select(u => u.GetProperty("Username").GetString()), Is.EqualTo(new[] { "alice", "bob" }));
            var attributes = members[0].GetProperty("Attributes").EnumerateArray()
                .ToDictionary(a => a.GetProperty("Name").GetString()!, a => a.GetProperty("Value").GetString());
            Assert.That(attributes["sub"], Is.EqualTo(alice.Sub));
            Assert.That(attributes["email"], Is.EqualTo("alice@example.com"));
            Assert.That(members[0].GetProperty("UserStatus").GetString(), Is.EqualTo("CONFIRMED"));
            Assert.That(members[0].GetProperty("Enabled").GetBoolean(), Is.True);
        });

        await CallAsync("AdminRemoveUserFromGroup", $$"""{"UserPoolId":"{{pool}}","Username":"alice","GroupName":"admins"}""");
        await CallAsync("DeleteGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"readers"}""");
        var left = (await CallAsync("AdminListGroupsForUser", $$"""{"UserPoolId":"{{pool}}","Username":"alice"}""")).GetProperty("Groups");
        Assert.That(left.GetArrayLength(), Is.Zero, "removed from one group; the other group was deleted with its memberships");
    }

    [Test]
    public async Task Membership_calls_name_the_missing_group_then_the_missing_user()
    {
        var pool = await NewPoolAsync();
        await NewUserAsync(pool, "carol");
        await CallAsync("CreateGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"g"}""");

        Assert.Multiple(async () =>
        {
            Assert.That(await ErrorAsync("AdminAddUserToGroup", $$"""{"UserPoolId":"{{pool}}","Username":"nobody","GroupName":"missing"}""",
                "ResourceNotFoundException"), Is.EqualTo("Group not found."));
            Assert.That(await ErrorAsync("AdminAddUserToGroup", $$"""{"UserPoolId":"{{pool}}","Username":"nobody","GroupName":"g"}""",
                "UserNotFoundException"), Is.EqualTo("User does not exist."));
            Assert.That(await ErrorAsync("AdminRemoveUserFromGroup", $$"""{"UserPoolId":"{{pool}}","Username":"nobody","GroupName":"g"}""",
                "UserNotFoundException"), Is.EqualTo("User does not exist."));
            Assert.That(await ErrorAsync("AdminListGroupsForUser", $$"""{"UserPoolId":"{{pool}}","Username":"nobody"}""",
                "UserNotFoundException"), Is.EqualTo("User does not exist."));
            Assert.That(await ErrorAsync("ListUsersInGroup", $$"""{"UserPoolId":"{{pool}}","GroupName":"missing"}""",
                "ResourceNotFoundException"), Is.EqualTo("Group not found."));
        });
    }

    [Test]
    public async Task A_sensitive_username_is_not_echoed_in_a_validation_error()
    {
        var message = await ErrorAsync("AdminAddUserToGroup", """{"UserPoolId":"us-east-1_abc","Username":"secret name","GroupName":"g"}""",
            "ValidationException");

        Assert.That(message, Does.Contain("'username'"));
        Assert.That(message, Does.Not.Contain("secret name"));
    }

    [Test]
    public async Task Tags_set_by_the_tag_operations_and_by_UserPoolTags_are_one_set()
    {
        var pool = await NewPoolAsync("""{"team":"identity"}""");
        var arn = UserPoolArn(pool);

        await CallAsync("TagResource", $$$"""{"ResourceArn":"{{{arn}}}","Tags":{"env":"dev","team":"platform"}}""");
        var described = (await CallAsync("DescribeUserPool", $$"""{"UserPoolId":"{{pool}}"}""")).GetProperty("UserPool").GetProperty("UserPoolTags");
        await CallAsync("UntagResource", $$"""{"ResourceArn":"{{arn}}","TagKeys":["team","absent"]}""");
        var listed = (await CallAsync("ListTagsForResource", $$"""{"ResourceArn":"{{arn}}"}""")).GetProperty("Tags");
        await CallAsync("UpdateUserPool", $$$"""{"UserPoolId":"{{{pool}}}","UserPoolTags":{"owner":"me"}}""");
        var afterUpdate = (await CallAsync("ListTagsForResource", $$"""{"ResourceArn":"{{arn}}"}""")).GetProperty("Tags");

        Assert.Multiple(() =>
        {
            Assert.That(described.GetProperty("team").GetString(), Is.EqualTo("platform"));
            Assert.That(described.GetProperty("env").GetString(), Is.EqualTo("dev"));
            Assert.That(listed.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "env" }));
            Assert.That(afterUpdate.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"), Is.EquivalentTo(new[] { "owner=me" }));
        });
    }

    [Test]
    public async Task A_tag_call_on_an_unknown_arn_is_not_found_and_more_than_fifty_tags_are_refused()
    {
        var pool = await NewPoolAsync();
        var tooMany = "{" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"k{i}\":\"v\"")) + "}";

        Assert.Multiple(async () =>
        {
            Assert.That(await ErrorAsync("ListTagsForResource", $$"""{"ResourceArn":"{{UserPoolArn("us-east-1_Missing00")}}"}""",
                "ResourceNotFoundException"), Is.EqualTo("User pool us-east-1_Missing00 does not exist."));
            await ErrorAsync("TagResource", """{"ResourceArn":"arn:aws:iam::000000000000:role/Admins","Tags":{"a":"b"}}""", "ResourceNotFoundException");
            await ErrorAsync("TagResource", $$"""{"ResourceArn":"{{UserPoolArn(pool)}}","Tags":{{tooMany}}}""", "InvalidParameterException");
            Assert.That((await CallAsync("ListTagsForResource", $$"""{"ResourceArn":"{{UserPoolArn(pool)}}"}""")).GetProperty("Tags")
                .EnumerateObject().Count(), Is.Zero, "a refused TagResource changes nothing");
        });
    }

    [Test]
    public async Task Temporary_credentials_are_authorized_on_the_pool_arn_and_on_the_tags_asked_for()
    {
        var mine = await NewPoolAsync();
        var theirs = await NewPoolAsync();
        await _callers.GrantAsync(TemporaryCallers.GuestRole, TemporaryCallers.Policy(
            $$"""{"Effect":"Allow","Action":"cognito-idp:CreateGroup","Resource":"{{UserPoolArn(mine)}}"}""",
            $$"""{"Effect":"Allow","Action":"cognito-idp:TagResource","Resource":"{{UserPoolArn(mine)}}","Condition":""" + """{"StringEquals":{"aws:RequestTag/env":"dev"}}}"""));

        using var own = await _server.SignedUserPoolsAsync("CreateGroup", $$"""{"UserPoolId":"{{mine}}","GroupName":"g"}""", _callers.Guest);
        using var foreign = await _server.SignedUserPoolsAsync("CreateGroup", $$"""{"UserPoolId":"{{theirs}}","GroupName":"g"}""", _callers.Guest);
        using var dev = await _server.SignedUserPoolsAsync("TagResource", $$$"""{"ResourceArn":"{{{UserPoolArn(mine)}}}","Tags":{"env":"dev"}}""", _callers.Guest);
        using var prod = await _server.SignedUserPoolsAsync("TagResource", $$$"""{"ResourceArn":"{{{UserPoolArn(mine)}}}","Tags":{"env":"prod"}}""", _callers.Guest);

        await AwsErrorAssert.IsSuccessAsync(own);
        Assert.That(await AwsErrorAssert.IsJsonErrorAsync(foreign, "AccessDeniedException"),
            Does.Contain($"cognito-idp:CreateGroup on resource: {UserPoolArn(theirs)}"));
        await AwsErrorAssert.IsSuccessAsync(dev);
        await AwsErrorAssert.IsJsonErrorAsync(prod, "AccessDeniedException");
    }
}
