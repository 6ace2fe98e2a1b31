namespace StarGuide.Scaler.Drivers;

/// <summary>A driver could not do what it was asked; the message names the cause (command, image, API call).</summary>
internal sealed class InstanceDriverException(string message, Exception? inner = null) : Exception(message, inner);
