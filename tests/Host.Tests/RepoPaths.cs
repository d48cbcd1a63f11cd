namespace ActorNet.Host.Tests;

/// <summary>Locates files of the repository from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ClusterConf => Path.Combine(Root, "hocon", "cluster.conf");

    public static string ReferenceConf => Path.Combine(Root, "hocon", "reference.conf");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorNet.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ActorNet.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary folder deleted when disposed, even when the test fails.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "actornet-host-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
