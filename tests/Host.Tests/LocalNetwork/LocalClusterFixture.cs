using ActorNet.Hocon;
using ActorNet.Host.Configuration;
using ActorNet.Host.Orchestration;
using ActorNet.Host.Platform;

namespace ActorNet.Host.Tests.LocalNetwork;

/// <summary>
/// A real 3-node cluster started through the same code as <c>actornet up</c> (<see cref="LocalCluster.StartAsync"/>),
/// with names, management subnet, shared-memory root and run folder unique to this fixture, torn down (processes,
/// namespaces, links, segments, temp files) whatever happened. Needs root, /dev/net/tun and iproute2; fails with the
/// message saying what is missing otherwise.
/// </summary>
public sealed class LocalClusterFixture : IAsyncLifetime
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "actornet-lnt-" + Guid.NewGuid().ToString("N")[..8]);

    public LocalCluster Cluster { get; private set; } = null!;

    public string Name { get; } = "lnt-" + Guid.NewGuid().ToString("N")[..8];

    public string ScriptsFolder => Path.Combine(_temp, "scripts");

    public static ClusterPlan Plan(string name, string temp, int nodes)
    {
        var file = Path.Combine(temp, "cluster.conf");
        Directory.CreateDirectory(temp);
        File.WriteAllText(file, $$"""
            actornet {
              cluster.name = "{{name}}"
              networks.local {
                mtu = 9000
                subnet = "10.200.0.0/24"
                ring-depth = 256
                multicast-rings { count = 1, groups = ["239.1.1.1"] }
              }
              logging.console.enabled = on
              logging.file.enabled = off
            }
            """);
        int a = 232 + Random.Shared.Next(16);
        int b = Random.Shared.Next(256);
        var defines = new[]
        {
            $"actornet.orchestration.management-subnet=\"10.{a}.{b}.0/24\"",
            $"actornet.shared-memory.root=\"{Path.Combine("/dev/shm", "actornet-" + name)}\"",
            $"actornet.orchestration.run-folder=\"{Path.Combine(temp, "run")}\"",
            "actornet.orchestration.start-timeout=120s",
        };
        var loaded = ConfigLoader.Load(new ConfigLoadOptions(file, null, defines));
        return ClusterPlan.FromConfig(loaded.Config, file, defines, nodes);
    }

    public async Task InitializeAsync()
    {
        NetworkNamespace.EnsurePrerequisites();
        Directory.CreateDirectory(ScriptsFolder);
        File.WriteAllText(Path.Combine(ScriptsFolder, "net.py"), NetScript.Text);
        try
        {
            Cluster = await LocalCluster.StartAsync(Plan(Name, _temp, 3));
        }
        catch
        {
            Cleanup();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (Cluster is not null)
            {
                await Cluster.TeardownAsync();
            }
        }
        finally
        {
            Cleanup();
        }
    }

    private void Cleanup()
    {
        try
        {
            Directory.Delete(_temp, recursive: true);
        }
        catch (IOException)
        {
        }

        try
        {
            Directory.Delete(Path.Combine("/dev/shm", "actornet-" + Name), recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The small TCP/UDP/multicast sender and receiver run inside the namespaces.</summary>
internal static class NetScript
{
    public const string Text = """
        import hashlib, socket, struct, sys, time

        def tcp_recv(port):
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", port)); s.listen(1); s.settimeout(60)
            print("listening", flush=True)
            c, _ = s.accept(); c.settimeout(60)
            h = hashlib.sha256(); n = 0
            while True:
                b = c.recv(1 << 20)
                if not b: break
                h.update(b); n += len(b)
            print(n, h.hexdigest(), flush=True)

        def tcp_send(host, port, total):
            c = socket.create_connection((host, port), timeout=60)
            h = hashlib.sha256(); n = 0; block = hashlib.sha256(b"seed").digest() * 2048
            i = 0
            while n < total:
                chunk = hashlib.sha256(struct.pack("<Q", i)).digest() + block
                chunk = chunk[: min(len(chunk), total - n)]
                c.sendall(chunk); h.update(chunk); n += len(chunk); i += 1
            c.shutdown(socket.SHUT_WR); c.recv(1); c.close()
            print(n, h.hexdigest(), flush=True)

        def udp_recv(port, count, group=None, iface="0.0.0.0"):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            # SO_RCVBUFFORCE (root): a receiver descheduled on a loaded machine must not lose datagrams in its socket.
            s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)
            s.bind(("0.0.0.0", port))
            if group:
                s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(group) + socket.inet_aton(iface))
            print("listening", flush=True)
            s.settimeout(4); got = 0; bad = 0
            try:
                while got + bad < count:
                    b, _ = s.recvfrom(65535)
                    i = struct.unpack("<I", b[:4])[0]
                    if b == payload(i): got += 1
                    else: bad += 1
            except socket.timeout:
                pass
            print(got, bad, flush=True)

        def payload(i):
            return struct.pack("<I", i) + bytes((i * 31 + k) & 0xFF for k in range(100 + (i * 97) % 7900))

        def udp_send(host, port, count, iface=None):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            if iface:
                s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(iface))
            for i in range(count):
                s.sendto(payload(i), (host, port)); time.sleep(0.005)
            print("sent", count, flush=True)

        cmd = sys.argv[1]
        if cmd == "tcp-recv": tcp_recv(int(sys.argv[2]))
        elif cmd == "tcp-send": tcp_send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        elif cmd == "udp-recv": udp_recv(int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:6])
        elif cmd == "udp-send": udp_send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] if len(sys.argv) > 5 else None)
        """;
}
