using IdentityBroker.Errors;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;
using IdentityBroker.UserPools.Triggers;
using IdentityBroker.UserPools.Users;

namespace IdentityBroker.UserPools.Federation;

/// <summary>
/// The pool user a provider's user signs in as: the user linked to it (AdminLinkProviderForUser), else its own
/// federated user <c>&lt;ProviderName&gt;_&lt;subject&gt;</c> with status EXTERNAL_PROVIDER, made on its first sign-in.
/// The provider's attributes are mapped through the provider's AttributeMapping on every sign-in.
/// The pool's triggers run as the developer guide's "Lambda triggers for federated users" lists them: on the first
/// sign-in PreSignUp (<c>PreSignUp_ExternalProvider</c>, before the user is stored; autoVerifyEmail/autoVerifyPhone
/// apply) and PostConfirmation (<c>PostConfirmation_ConfirmSignUp</c>, after); on every later sign-in PreAuthentication
/// (before the attributes are updated) and PostAuthentication (after). Pre token generation runs when the app redeems
/// its code (<c>TokenGeneration_HostedAuth</c>).
/// </summary>
public sealed class FederatedUsers(IUserStore store, UserWrites writes, TimeProvider time, LifecycleTriggers triggers)
{
    public static string Username(string providerName, string subject) => providerName + "_" + subject;

    public async Task<Result<PoolUser>> SignInAsync(UserPool pool, string clientId, ProviderUser signedIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(signedIn);
        var mapped = MappedAttributes(signedIn);
        var existing = await FindAsync(pool, signedIn, mapped, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            var fresh = NewUser(pool, signedIn, mapped);
            var decision = await triggers.PreSignUpAsync(pool, clientId, fresh, LifecycleTriggers.PreSignUpExternalProvider, cancellationToken).ConfigureAwait(false);
            if (!decision.IsSuccess)
            {
                return decision.Error!;
            }

            var created = await writes.CreateAsync(pool, AutoConfirmation.Apply(fresh, decision.Value), forceAlias: false, cancellationToken).ConfigureAwait(false);
            if (created.IsSuccess)
            {
                // As after ConfirmSignUp: an error of PostConfirmation is the answer, the user stays.
                return await triggers.PostConfirmationAsync(pool, clientId, created.Value, LifecycleTriggers.PostConfirmationConfirmSignUp, cancellationToken)
                    .ConfigureAwait(false) is { } failed ? failed : created;
            }

            // Two first sign-ins at once: the second finds the user the first made.
            if (await FindAsync(pool, signedIn, mapped, cancellationToken).ConfigureAwait(false) is not { } raced)
            {
                return created;
            }

            existing = raced;
        }

        if (!existing.Enabled)
        {
            return FederationErrors.UserDisabled;
        }

        if (await triggers.PreAuthenticationAsync(pool, clientId, existing, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var changed = await writes.ChangeAsync(pool.Id, existing.Sub, (_, user) => user with { Attributes = Merge(user.Attributes, mapped) }, cancellationToken)
            .ConfigureAwait(false);
        return changed.IsSuccess && await triggers.PostAuthenticationAsync(pool, clientId, changed.Value, cancellationToken).ConfigureAwait(false) is { } after
            ? after
            : changed;
    }

    /// <summary>The pool attributes the provider's attributes map to (AttributeMapping: pool attribute → provider attribute).</summary>
    public static IReadOnlyDictionary<string, string> MappedAttributes(ProviderUser signedIn)
    {
        ArgumentNullException.ThrowIfNull(signedIn);
        var mapped = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (attribute, source) in signedIn.Provider.AttributeMapping)
        {
            if (attribute != AttributeMappingRules.Username && signedIn.Claims.TryGetValue(source, out var value))
            {
                mapped[attribute] = value;
            }
        }

        return mapped;
    }

    private async Task<PoolUser?> FindAsync(
        UserPool pool, ProviderUser signedIn, IReadOnlyDictionary<string, string> mapped, CancellationToken cancellationToken)
    {
        var name = signedIn.Provider.ProviderName;
        if (await store.FindUserAsync(pool.Id, FederatedIdentity.SubjectKey(name, signedIn.Subject), cancellationToken).ConfigureAwait(false) is { } user)
        {
            return user;
        }

        // A link by a pool attribute (OIDC and SAML): the value the provider's claim maps to names the linked user.
        foreach (var (attribute, value) in mapped)
        {
            if (await store.FindUserAsync(pool.Id, FederatedIdentity.AttributeKey(name, attribute, value), cancellationToken).ConfigureAwait(false) is { } linked)
            {
                return linked;
            }
        }

        return null;
    }

    private PoolUser NewUser(UserPool pool, ProviderUser signedIn, IReadOnlyDictionary<string, string> mapped)
    {
        var now = time.GetUtcNow();
        var provider = signedIn.Provider;
        var identity = new FederatedIdentity(signedIn.Subject, provider.ProviderName, provider.ProviderType, Issuer(provider), true, now);
        var attributes = new Dictionary<string, string>(mapped, StringComparer.Ordinal)
        {
            [FederatedIdentity.AttributeName] = FederatedIdentity.Serialize([identity]),
        };
        return new PoolUser
        {
            UserPoolId = pool.Id,
            Username = Username(provider.ProviderName, signedIn.Subject),
            Sub = Guid.NewGuid().ToString(),
            UserStatus = UserStatuses.ExternalProvider,
            Attributes = attributes,
            CreationDate = now,
            LastModifiedDate = now,
        };
    }

    /// <summary>Cognito's entries carry the issuer of OIDC and SAML providers and null for the social ones.</summary>
    public static string? Issuer(PoolIdentityProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.ProviderType switch
        {
            IdentityProviderTypes.Oidc => provider.Detail("oidc_issuer"),
            IdentityProviderTypes.Saml => provider.Detail("MetadataURL"),
            _ => null,
        };
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string> mapped)
    {
        var merged = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var (name, value) in mapped)
        {
            merged[name] = value;
        }

        return merged;
    }
}
