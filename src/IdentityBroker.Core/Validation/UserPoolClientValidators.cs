using FluentValidation;
using IdentityBroker.Protocol.Json;

namespace IdentityBroker.Validation;

// App-client inputs: CreateUserPoolClientRequest, UpdateUserPoolClientRequest, the client-id inputs
// (DescribeUserPoolClient, DeleteUserPoolClient), ListUserPoolClientsRequest.

internal sealed class CreateUserPoolClientRequestValidator : AbstractValidator<CreateUserPoolClientRequest>
{
    public CreateUserPoolClientRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.ClientName).ModelString("clientName", UserPoolShapes.ClientNameType, required: true);
        RuleFor(r => r).Custom((r, context) => UserPoolClientChecks.Settings(context, r));
    }
}

internal sealed class UpdateUserPoolClientRequestValidator : AbstractValidator<UpdateUserPoolClientRequest>
{
    public UpdateUserPoolClientRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.ClientId).ModelString("clientId", UserPoolShapes.ClientIdType, required: true);
        RuleFor(r => r.ClientName).ModelString("clientName", UserPoolShapes.ClientNameType);
        RuleFor(r => r).Custom((r, context) => UserPoolClientChecks.Settings(context, r));
    }
}

internal sealed class UserPoolClientIdRequestValidator : AbstractValidator<UserPoolClientIdRequest>
{
    public UserPoolClientIdRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.ClientId).ModelString("clientId", UserPoolShapes.ClientIdType, required: true);
    }
}

internal sealed class ListUserPoolClientsRequestValidator : AbstractValidator<ListUserPoolClientsRequest>
{
    public ListUserPoolClientsRequestValidator()
    {
        RuleFor(r => r.UserPoolId).ModelString("userPoolId", UserPoolShapes.UserPoolIdType, required: true);
        RuleFor(r => r.MaxResults).ModelInteger("maxResults", UserPoolShapes.QueryLimit);
        RuleFor(r => r.NextToken).ModelString("nextToken", UserPoolShapes.PaginationKey);
    }
}

/// <summary>The settings both client requests carry, in model member order.</summary>
internal static class UserPoolClientChecks
{
    public static void Settings<T>(ValidationContext<T> context, IUserPoolClientSettingsShape r)
    {
        ModelChecks.Integer(context, "refreshTokenValidity", r.RefreshTokenValidity, UserPoolShapes.RefreshTokenValidityType, false);
        ModelChecks.Integer(context, "accessTokenValidity", r.AccessTokenValidity, UserPoolShapes.AccessTokenValidityType, false);
        ModelChecks.Integer(context, "idTokenValidity", r.IdTokenValidity, UserPoolShapes.IdTokenValidityType, false);
        if (r.TokenValidityUnits is { } units)
        {
            ModelChecks.Enum(context, "tokenValidityUnits.accessToken", units.AccessToken, UserPoolShapes.TimeUnitsType, false);
            ModelChecks.Enum(context, "tokenValidityUnits.idToken", units.IdToken, UserPoolShapes.TimeUnitsType, false);
            ModelChecks.Enum(context, "tokenValidityUnits.refreshToken", units.RefreshToken, UserPoolShapes.TimeUnitsType, false);
        }

        ModelChecks.EnumList(context, "explicitAuthFlows", r.ExplicitAuthFlows, UserPoolShapes.ExplicitAuthFlowsType);
        ModelChecks.StringList(context, "supportedIdentityProviders", r.SupportedIdentityProviders, UserPoolOAuthShapes.ProviderNameList,
            UserPoolOAuthShapes.ProviderNameType, false);
        ModelChecks.StringList(context, "callbackURLs", r.CallbackURLs, UserPoolShapes.UrlList, UserPoolShapes.RedirectUrlType, false);
        ModelChecks.StringList(context, "logoutURLs", r.LogoutURLs, UserPoolShapes.UrlList, UserPoolShapes.RedirectUrlType, false);
        ModelChecks.EnumList(context, "allowedOAuthFlows", r.AllowedOAuthFlows, UserPoolShapes.OAuthFlowType, UserPoolShapes.OAuthFlowsType);
        ModelChecks.StringList(context, "allowedOAuthScopes", r.AllowedOAuthScopes, UserPoolShapes.ScopeListType, UserPoolShapes.ScopeType, false);
        ModelChecks.Enum(context, "preventUserExistenceErrors", r.PreventUserExistenceErrors,
            UserPoolShapes.PreventUserExistenceErrorTypes, false);
        ModelChecks.Integer(context, "authSessionValidity", r.AuthSessionValidity, UserPoolShapes.AuthSessionValidityType, false);
        if (r.RefreshTokenRotation is { } rotation)
        {
            ModelChecks.Enum(context, "refreshTokenRotation.feature", rotation.Feature, UserPoolShapes.FeatureType, true);
            ModelChecks.Integer(context, "refreshTokenRotation.retryGracePeriodSeconds", rotation.RetryGracePeriodSeconds,
                UserPoolShapes.RetryGracePeriodSecondsType, false);
        }
    }
}
