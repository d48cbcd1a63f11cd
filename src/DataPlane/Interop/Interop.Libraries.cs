namespace ActorNet.DataPlane;

/// <summary>Native calls of the data plane, in dotnet/runtime's Interop layout: one concern per file, native names kept.</summary>
internal static partial class Interop
{
    /// <summary>Names of the native libraries the data plane calls.</summary>
    internal static class Libraries
    {
        /// <summary>The C library (glibc or musl); resolved by the runtime's probing on Linux.</summary>
        internal const string Libc = "libc";
    }
}
