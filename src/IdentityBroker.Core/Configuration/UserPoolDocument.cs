using System.Text.Json.Nodes;

namespace IdentityBroker.Configuration;

/// <summary>
/// A user pool in the configuration document (docs/config-as-code.md, "User pools"): its name and settings as CreateUserPool
/// takes them, its app clients, its groups and its resource servers. Users are state, not configuration, and are never in the document. A pool
/// without an id is created with a new one.
/// </summary>
public sealed class UserPoolDocument
{
    public string? Id { get; set; }

    public string? PoolName { get; set; }

    /// <summary>CreateUserPool's members other than PoolName, in the service model's shapes (Policies, MfaConfiguration, Schema, LambdaConfig, …).</summary>
    public JsonObject? Settings { get; set; }

    public List<UserPoolClientDocument>? Clients { get; set; }

    public List<UserPoolGroupDocument>? Groups { get; set; }

    public List<ResourceServerDocument>? ResourceServers { get; set; }
}

/// <summary>
/// An app client as CreateUserPoolClient takes it. The secret is never in the document: <see cref="GenerateSecret"/> records
/// that the client has one, a client created by apply gets a new one, and an existing client keeps its own.
/// </summary>
public sealed class UserPoolClientDocument
{
    public string? ClientId { get; set; }

    public string? ClientName { get; set; }

    public bool GenerateSecret { get; set; }

    /// <summary>CreateUserPoolClient's members other than UserPoolId, ClientName and GenerateSecret, in the service model's shapes.</summary>
    public JsonObject? Settings { get; set; }
}

/// <summary>A resource server as CreateResourceServer takes it; app clients name its scopes as <c>identifier/scope</c>.</summary>
public sealed class ResourceServerDocument
{
    public string? Identifier { get; set; }

    public string? Name { get; set; }

    public List<ResourceServerScopeDocument>? Scopes { get; set; }
}

public sealed class ResourceServerScopeDocument
{
    public string? ScopeName { get; set; }

    public string? ScopeDescription { get; set; }
}

/// <summary>A group as CreateGroup takes it; <see cref="RoleArn"/> may name a role (resolved to its ARN).</summary>
public sealed class UserPoolGroupDocument
{
    public string? GroupName { get; set; }

    public string? Description { get; set; }

    public string? RoleArn { get; set; }

    public int? Precedence { get; set; }
}
