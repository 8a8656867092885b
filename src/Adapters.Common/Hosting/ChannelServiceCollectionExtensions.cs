using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Adapters;

/// <summary>The registrations every adapter's <c>Add…Channel</c> makes alike: its options (bound, validated at start),
/// the in-process defaults the hub replaces, and the adapter with its health check. All use <c>TryAdd*</c>, so a user
/// or a test can replace a default and a second call adds nothing twice.</summary>
public static class ChannelServiceCollectionExtensions
{
    /// <summary>Binds <typeparamref name="TOptions"/> from <paramref name="section"/>, validates its DataAnnotations at
    /// start, and adds <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is registered.</summary>
    /// <typeparam name="TOptions">The channel's options.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The channel's configuration section, e.g. <c>Channels:Slack</c>.</param>
    /// <returns>The options builder, for more binding (<c>BindRenamedDuration</c>) or validation.</returns>
    public static OptionsBuilder<TOptions> AddChannelOptions<TOptions>(this IServiceCollection services, IConfiguration section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.TryAddSingleton(TimeProvider.System);
        return services.AddOptions<TOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
    }

    /// <summary>As <see cref="AddChannelOptions{TOptions}(IServiceCollection, IConfiguration)"/>, and adds
    /// <typeparamref name="TValidator"/> (the rules DataAnnotations cannot say) once.</summary>
    /// <typeparam name="TOptions">The channel's options.</typeparam>
    /// <typeparam name="TValidator">The channel's <see cref="IValidateOptions{TOptions}"/>.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The channel's configuration section.</param>
    /// <returns>The options builder.</returns>
    public static OptionsBuilder<TOptions> AddChannelOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        var builder = services.AddChannelOptions<TOptions>(section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return builder;
    }

    /// <summary>Adds the in-process <see cref="ISharedRateLimiter"/> (<see cref="LocalRateLimiter"/>) and
    /// <see cref="ConnectionOwnership"/> (<see cref="ConnectionOwnership.Local"/>), both on the registered
    /// <see cref="TimeProvider"/>, unless registered already: the hub registers the cluster's.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddLocalChannelDefaults(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ISharedRateLimiter>(sp => new LocalRateLimiter(sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => ConnectionOwnership.Local(sp.GetService<TimeProvider>()));
        return services;
    }

    /// <summary>Adds <typeparamref name="TAdapter"/> as a singleton, as one <see cref="IChannelAdapter"/> (with
    /// <c>TryAddEnumerable</c>: once per adapter type), and <typeparamref name="THealthCheck"/> as the health check
    /// named <paramref name="channel"/>, tagged <c>ready</c> (once: a second call adds no second check of that name).</summary>
    /// <typeparam name="TAdapter">The channel's adapter.</typeparam>
    /// <typeparam name="THealthCheck">The channel's readiness check.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="channel">The channel name, the health check's name (<c>slack</c>).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddChannelAdapter<TAdapter, THealthCheck>(this IServiceCollection services, string channel)
        where TAdapter : class, IChannelAdapter
        where THealthCheck : class, IHealthCheck
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(channel);
        services.TryAddSingleton<TAdapter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChannelAdapter, TAdapter>(sp => sp.GetRequiredService<TAdapter>()));
        services.AddHealthChecks();
        services.Configure<HealthCheckServiceOptions>(o =>
        {
            if (o.Registrations.All(r => r.Name != channel))
            {
                o.Registrations.Add(new HealthCheckRegistration(channel, ActivatorUtilities.GetServiceOrCreateInstance<THealthCheck>, failureStatus: null, tags: ["ready"]));
            }
        });
        return services;
    }
}
