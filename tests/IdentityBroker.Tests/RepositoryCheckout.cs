namespace IdentityBroker.Tests;

/// <summary>The checkout this test assembly was built from: the folder holding IdentityBroker.sln above the output folder.</summary>
internal static class RepositoryCheckout
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IdentityBroker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The tests run from inside the repository's build output.");
    }
}
