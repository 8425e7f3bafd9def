using IdentityBroker.Errors;
using IdentityBroker.Pools;
using IdentityBroker.Storage;
using IdentityBroker.UserPools.Pools;

namespace IdentityBroker.UserPools.Federation;

/// <summary>
/// CreateIdentityProvider, DescribeIdentityProvider, UpdateIdentityProvider, DeleteIdentityProvider,
/// ListIdentityProviders and GetIdentityProviderByIdentifier over the provider store.
/// </summary>
public sealed class IdentityProviderOperations(
    IUserPoolStore pools, IUserPoolIdentityProviderStore providers, ProviderDetailsRules details, TimeProvider time)
{
    public async Task<Result<PoolIdentityProvider>> CreateAsync(CreateIdentityProvider command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false);
        if (pool is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        if (CheckName(command.ProviderName, command.ProviderType) is { } badName)
        {
            return badName;
        }

        var checkedDetails = details.Check(command.ProviderType, command.ProviderDetails);
        var mapping = AttributeMappingRules.Check(pool, command.ProviderType, command.AttributeMapping);
        var identifiers = CheckIdentifiers(command.IdpIdentifiers);
        if ((checkedDetails.Error ?? mapping.Error ?? identifiers.Error) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var provider = new PoolIdentityProvider(command.UserPoolId, command.ProviderName, command.ProviderType, checkedDetails.Value,
            mapping.Value, identifiers.Value, now, now);
        return await providers.TryCreateProviderAsync(provider, cancellationToken).ConfigureAwait(false) switch
        {
            ProviderWrite.Written => provider,
            ProviderWrite.NameTaken => IdentityProviderErrors.Duplicate(command.ProviderName),
            ProviderWrite.IdentifierTaken => IdentityProviderErrors.IdentifierTaken,
            _ => UserPoolErrors.UserPoolNotFound(command.UserPoolId),
        };
    }

    public async Task<Result<PoolIdentityProvider>> DescribeAsync(DescribeIdentityProvider command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var provider = await providers.GetProviderAsync(command.UserPoolId, command.ProviderName, cancellationToken).ConfigureAwait(false);
        return provider is null ? await NotFoundAsync(command.UserPoolId, command.ProviderName, cancellationToken).ConfigureAwait(false) : provider;
    }

    public async Task<Result<PoolIdentityProvider>> GetByIdentifierAsync(GetIdentityProviderByIdentifier command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        var provider = await providers.FindProviderByIdentifierAsync(command.UserPoolId, command.IdpIdentifier, cancellationToken).ConfigureAwait(false);
        return provider is null ? IdentityProviderErrors.IdentifierNotFound : provider;
    }

    public async Task<Result<PoolIdentityProvider>> UpdateAsync(UpdateIdentityProvider command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pool = await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false);
        var current = pool is null ? null
            : await providers.GetProviderAsync(command.UserPoolId, command.ProviderName, cancellationToken).ConfigureAwait(false);
        if (pool is null || current is null)
        {
            return await NotFoundAsync(command.UserPoolId, command.ProviderName, cancellationToken).ConfigureAwait(false);
        }

        var checkedDetails = command.ProviderDetails is null
            ? Result<IReadOnlyDictionary<string, string>>.Ok(current.ProviderDetails)
            : details.Check(current.ProviderType, command.ProviderDetails);
        var mapping = command.AttributeMapping is null
            ? Result<IReadOnlyDictionary<string, string>>.Ok(current.AttributeMapping)
            : AttributeMappingRules.Check(pool, current.ProviderType, command.AttributeMapping);
        var identifiers = command.IdpIdentifiers is null ? Result<IReadOnlyList<string>>.Ok(current.IdpIdentifiers) : CheckIdentifiers(command.IdpIdentifiers);
        if ((checkedDetails.Error ?? mapping.Error ?? identifiers.Error) is { } invalid)
        {
            return invalid;
        }

        var updated = current with
        {
            ProviderDetails = checkedDetails.Value,
            AttributeMapping = mapping.Value,
            IdpIdentifiers = identifiers.Value,
            LastModifiedDate = time.GetUtcNow(),
        };
        return await providers.UpdateProviderAsync(updated, cancellationToken).ConfigureAwait(false) switch
        {
            ProviderWrite.Written => updated,
            ProviderWrite.IdentifierTaken => IdentityProviderErrors.IdentifierTaken,
            _ => await NotFoundAsync(command.UserPoolId, command.ProviderName, cancellationToken).ConfigureAwait(false),
        };
    }

    public async Task<Result<Unit>> DeleteAsync(DeleteIdentityProvider command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return await providers.DeleteProviderAsync(command.UserPoolId, command.ProviderName, cancellationToken).ConfigureAwait(false)
            ? Unit.Value
            : await NotFoundAsync(command.UserPoolId, command.ProviderName, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Result<Page<PoolIdentityProvider>>> ListAsync(ListIdentityProviders command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await pools.GetUserPoolAsync(command.UserPoolId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UserPoolErrors.UserPoolNotFound(command.UserPoolId);
        }

        return await Paging.ReadAsync(() => providers.ListProvidersAsync(command.UserPoolId, command.MaxResults, command.NextToken, cancellationToken))
            .ConfigureAwait(false);
    }

    /// <summary>A social provider is named by its type; no other provider may take a social type's name or <c>Cognito</c>.</summary>
    private static AwsError? CheckName(string providerName, string providerType) =>
        IdentityProviderTypes.FixedName(providerType) is { } fixedName
            ? providerName == fixedName ? null : IdentityProviderErrors.SocialName(providerType)
            : IsReserved(providerName) ? IdentityProviderErrors.ReservedName : null;

    private static bool IsReserved(string providerName) =>
        providerName is "Cognito" or IdentityProviderTypes.Google or IdentityProviderTypes.Facebook
            or IdentityProviderTypes.LoginWithAmazon or IdentityProviderTypes.SignInWithApple;

    private static Result<IReadOnlyList<string>> CheckIdentifiers(IReadOnlyList<string>? identifiers)
    {
        var list = identifiers ?? [];
        return list.Distinct(StringComparer.Ordinal).Count() == list.Count
            ? Result<IReadOnlyList<string>>.Ok([.. list])
            : Result<IReadOnlyList<string>>.Fail(UserPoolErrors.InvalidParameter("IdpIdentifiers must not repeat an identifier."));
    }

    /// <summary>Cognito names the pool when the pool is missing, else the provider.</summary>
    private async Task<AwsError> NotFoundAsync(string userPoolId, string providerName, CancellationToken cancellationToken) =>
        await pools.GetUserPoolAsync(userPoolId, cancellationToken).ConfigureAwait(false) is null
            ? UserPoolErrors.UserPoolNotFound(userPoolId)
            : IdentityProviderErrors.NotFound(providerName);
}
