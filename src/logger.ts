import { ConsoleLogger, type Logger, LogLevel } from '@slack/logger';
import type { LogLevelName } from './config.js';

const LEVELS: Record<LogLevelName, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

export function createLogger(level: LogLevelName): Logger {
  const logger = new ConsoleLogger();
  logger.setName('cowsay-slack');
  logger.setLevel(LEVELS[level]);
  return logger;
}
