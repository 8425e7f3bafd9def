using System.Text.Json.Serialization;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Domains;
using IdentityBroker.UserPools.ResourceServers;
using Microsoft.Extensions.Options;

namespace IdentityBroker.Protocol.Json;

/// <summary>
/// The rows of the domain and resource-server operations in <see cref="UserPoolsOperations"/>: all signed, authorized as
/// <c>cognito-idp:&lt;Op&gt;</c> on the pool's ARN (DescribeUserPoolDomain, which names no pool, on the account).
/// </summary>
public sealed class UserPoolOAuthWire(
    UserPoolDomainOperations domains, ResourceServerOperations servers, UserPoolResources resources, IOptions<BrokerOptions> broker,
    IOptions<UserPoolDomainOptions> domainOptions)
{
    /// <summary>ListResourceServers' MaxResults is optional; Cognito's page is then at most 50.</summary>
    public const int DefaultPage = 50;

    internal IEnumerable<CognitoOperation> Rows(JsonOperationTable t)
    {
        var c = UserPoolOAuthJsonContext.Default;
        var r = resources;
        yield return t.Signed("CreateUserPoolDomain", c.UserPoolDomainRequest,
            q => new CreateUserPoolDomain(q.Domain!, q.UserPoolId!, q.ManagedLoginVersion, q.CustomDomainConfig is not null),
            domains.CreateAsync, DomainReply, c.UserPoolDomainResponse, (q, ct) => r.PoolAsync(q.UserPoolId!, ct));
        yield return t.Signed("UpdateUserPoolDomain", c.UserPoolDomainRequest,
            q => new UpdateUserPoolDomain(q.Domain!, q.UserPoolId!, q.ManagedLoginVersion, q.CustomDomainConfig is not null),
            domains.UpdateAsync, DomainReply, c.UserPoolDomainResponse, (q, ct) => r.PoolAsync(q.UserPoolId!, ct));
        yield return t.Signed("DeleteUserPoolDomain", c.UserPoolDomainRequest, q => new DeleteUserPoolDomain(q.Domain!, q.UserPoolId!),
            domains.DeleteAsync, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("DescribeUserPoolDomain", c.DescribeUserPoolDomainRequest, q => new DescribeUserPoolDomain(q.Domain!),
            domains.DescribeAsync, Description, c.DescribeUserPoolDomainResponse, (_, _) => UserPoolResources.Account());
        yield return t.Signed("CreateResourceServer", c.ResourceServerRequest,
            q => new CreateResourceServer(q.UserPoolId!, q.Identifier!, q.Name!, Scopes(q.Scopes)),
            servers.CreateAsync, Server, c.ResourceServerResponse, (q, ct) => r.PoolAsync(q.UserPoolId!, ct));
        yield return t.Signed("UpdateResourceServer", c.ResourceServerRequest,
            q => new UpdateResourceServer(q.UserPoolId!, q.Identifier!, q.Name!, Scopes(q.Scopes)),
            servers.UpdateAsync, Server, c.ResourceServerResponse, (q, ct) => r.PoolAsync(q.UserPoolId!, ct));
        yield return t.Signed("DescribeResourceServer", c.ResourceServerIdRequest, q => new ResourceServerId(q.UserPoolId!, q.Identifier!),
            servers.DescribeAsync, Server, c.ResourceServerResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("DeleteResourceServer", c.ResourceServerIdRequest, q => new ResourceServerId(q.UserPoolId!, q.Identifier!),
            servers.DeleteAsync, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
        yield return t.Signed("ListResourceServers", c.ListResourceServersRequest,
            q => new ListResourceServers(q.UserPoolId!, q.MaxResults ?? DefaultPage, q.NextToken),
            servers.ListAsync, List, c.ListResourceServersResponse, (q, ct) => r.PoolAsync(q.UserPoolId, ct));
    }

    private static UserPoolDomainResponse DomainReply(UserPoolDomain domain) => new() { ManagedLoginVersion = domain.ManagedLoginVersion };

    /// <summary>CloudFrontDistribution names the host the domain is served at, where Cognito names its CDN.</summary>
    private DescribeUserPoolDomainResponse Description(UserPoolDomain? domain) => new()
    {
        DomainDescription = domain is null
            ? new DomainDescriptionShape()
            : new DomainDescriptionShape
            {
                UserPoolId = domain.UserPoolId,
                AWSAccountId = broker.Value.AccountId,
                Domain = domain.Domain,
                CloudFrontDistribution = domain.Domain + "." + domainOptions.Value.DomainSuffix,
                Version = "1",
                Status = "ACTIVE",
                ManagedLoginVersion = domain.ManagedLoginVersion,
            },
    };

    private static ResourceServerScope[] Scopes(List<ResourceServerScopeShape>? scopes) =>
        scopes is null ? [] : scopes.Select(s => new ResourceServerScope(s.ScopeName!, s.ScopeDescription!)).ToArray();

    private static ResourceServerResponse Server(ResourceServer server) => new() { ResourceServer = Shape(server) };

    private static ListResourceServersResponse List(Page<ResourceServer> page) =>
        new() { ResourceServers = [.. page.Items.Select(Shape)], NextToken = page.NextToken };

    private static ResourceServerShape Shape(ResourceServer server) => new()
    {
        UserPoolId = server.UserPoolId,
        Identifier = server.Identifier,
        Name = server.Name,
        Scopes = server.Scopes.Count > 0
            ? [.. server.Scopes.Select(s => new ResourceServerScopeShape { ScopeName = s.ScopeName, ScopeDescription = s.ScopeDescription })]
            : null,
    };
}

/// <summary>The domain and resource-server shapes, in a context of their own with <see cref="UserPoolJsonContext"/>'s options.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 32)]
[JsonSerializable(typeof(UserPoolDomainRequest))]
[JsonSerializable(typeof(DescribeUserPoolDomainRequest))]
[JsonSerializable(typeof(UserPoolDomainResponse))]
[JsonSerializable(typeof(DescribeUserPoolDomainResponse))]
[JsonSerializable(typeof(ResourceServerRequest))]
[JsonSerializable(typeof(ResourceServerIdRequest))]
[JsonSerializable(typeof(ListResourceServersRequest))]
[JsonSerializable(typeof(ResourceServerResponse))]
[JsonSerializable(typeof(ListResourceServersResponse))]
internal sealed partial class UserPoolOAuthJsonContext : JsonSerializerContext;
