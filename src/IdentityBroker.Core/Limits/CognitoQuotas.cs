namespace IdentityBroker.Limits;

/// <summary>
/// The <c>Cognito</c> preset: Cognito's default request-rate quotas (requests per second, per account and Region), from
/// "Quotas in Amazon Cognito" (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html). User-pool operations
/// share their category's quota, as Cognito counts them; identity-pool operations each have their own.
/// </summary>
public static class CognitoQuotas
{
    /// <summary>One counted quota: its name (the counter operations of one category share) and its rate.</summary>
    public sealed record Quota(string Bucket, int RequestsPerSecond);

    public static IReadOnlyDictionary<string, Quota> Operations { get; } = Build();

    private static Dictionary<string, Quota> Build()
    {
        var table = new Dictionary<string, Quota>(StringComparer.Ordinal);
        void Category(string category, int rate, params string[] operations)
        {
            foreach (var operation in operations)
            {
                table["cognito-idp:" + operation] = new Quota("cognito-idp:" + category, rate);
            }
        }

        // User pools: UserAuthentication 120 RPS; its challenge responses count apart at three times that rate.
        Category("UserAuthentication", 120, "InitiateAuth", "AdminInitiateAuth");
        Category("UserAuthenticationChallenge", 360, "RespondToAuthChallenge", "AdminRespondToAuthChallenge");
        Category("UserCreation", 50, "SignUp", "ConfirmSignUp", "AdminCreateUser", "AdminConfirmSignUp");

        // Identity pools: per operation.
        foreach (var (operation, rate) in new[]
        {
            ("GetId", 25), ("GetCredentialsForIdentity", 200), ("GetOpenIdToken", 200),
            ("GetOpenIdTokenForDeveloperIdentity", 25), ("DescribeIdentity", 5), ("ListIdentities", 5),
        })
        {
            table["cognito-identity:" + operation] = new Quota("cognito-identity:" + operation, rate);
        }

        return table;
    }
}
