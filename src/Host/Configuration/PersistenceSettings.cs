using System.Globalization;
using ActorNet.Actors.Cluster;
using ActorNet.Hocon;

namespace ActorNet.Host.Configuration;

/// <summary>SQL provider of the event journal and snapshots (<c>actornet.persistence.provider</c>).</summary>
public enum PersistenceProvider
{
    /// <summary>One embedded SQLite file per node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server.</summary>
    PostgreSql,
}

/// <summary>Persistence settings (<c>actornet.persistence</c>), built once at start-up.</summary>
/// <param name="Provider">SQL provider.</param>
/// <param name="DataFolder">Folder for per-node data.</param>
/// <param name="ConnectionString">Effective connection string for the provider (derived for SQLite when not set).</param>
public sealed record PersistenceSettings(PersistenceProvider Provider, string DataFolder, string ConnectionString)
{
    private static readonly Dictionary<string, PersistenceProvider> s_providers = new()
    {
        ["sqlite"] = PersistenceProvider.Sqlite,
        ["postgresql"] = PersistenceProvider.PostgreSql,
    };

    /// <summary>Builds the settings from a resolved configuration (uses <c>actornet.cluster.name</c> and <c>actornet.node.id</c> for the SQLite file).</summary>
    /// <exception cref="SettingsException">Every invalid key, each with the fix.</exception>
    public static PersistenceSettings FromConfig(Config config)
    {
        var r = new SettingsReader(config);
        var settings = Read(r);
        r.ThrowIfInvalid();
        return settings;
    }

    /// <summary>Reads the settings, recording problems in <paramref name="r"/>.</summary>
    public static PersistenceSettings Read(SettingsReader r)
    {
        const string P = "actornet.persistence.";
        var provider = r.Choice(P + "provider", s_providers);
        var folder = r.String(P + "data-folder", v => v.Length > 0 ? null : "a folder is required (e.g. data)");
        string connection;
        if (provider == PersistenceProvider.Sqlite)
        {
            connection = r.String(P + "sqlite.connection-string");
            if (connection.Length == 0)
            {
                var cluster = r.Config.HasPath("actornet.cluster.name") ? r.Config.GetString("actornet.cluster.name") : "actornet";
                var node = r.Config.HasPath("actornet.node.id") ? r.Config.GetString("actornet.node.id") : "0";
                connection = "Data Source=" + Path.Combine(folder, cluster, string.Create(CultureInfo.InvariantCulture, $"node-{node}.db"));
            }
        }
        else
        {
            connection = r.String(P + "postgresql.connection-string", v => v.Length > 0 ? null : "provider = postgresql needs a connection string", $"set {P}postgresql.connection-string or ACTORNET_PERSISTENCE_POSTGRESQL_CONNECTION__STRING");
        }

        return new PersistenceSettings(provider, folder, connection);
    }
}
