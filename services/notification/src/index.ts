import { APP_IDS } from '@todo/contracts';
import type { Config } from '@todo/platform/config';
import { type ConsumerRuntime, createConsumer } from '@todo/platform/consumers/runtime';
import type { Db } from '@todo/platform/db/connect';
import type { HttpServer } from '@todo/platform/http/server';
import type { UserDirectory } from '@todo/platform/identity/user-directory';
import type { ServiceModule } from '@todo/platform/service';
import { EmailVerification } from './email-verification.js';
import { notificationRoutes } from './http/notification-routes.js';
import { verificationRoutes } from './http/verification-routes.js';
import { type Mailer, smtpMailer } from './mailer.js';
import { reminderDelivery } from './reminder-consumer.js';

export interface NotificationServiceOptions {
  db: Db;
  consumerRuntime: ConsumerRuntime;
  users: UserDirectory;
  config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'PUBLIC_URL' | 'EMAIL_VERIFICATION_PER_HOUR'>;
  onCommit?: () => void;
}

/**
 * The notification service: turns fired reminders into in-app notifications and e-mails, and
 * verifies the addresses those e-mails go to.
 */
export function createNotificationService(options: NotificationServiceOptions): ServiceModule {
  const { config } = options;
  const mailer: Mailer | undefined = config.SMTP_URL
    ? smtpMailer(config.SMTP_URL, config.MAIL_FROM)
    : undefined;
  const deliver = reminderDelivery({
    db: options.db,
    users: options.users,
    logger: options.consumerRuntime.logger.child({ consumer: APP_IDS.notification }),
    ...(mailer ? { mailer } : {}),
    ...(config.PUBLIC_URL ? { appUrl: config.PUBLIC_URL } : {}),
    ...(options.onCommit ? { onCommit: options.onCommit } : {}),
  });
  return {
    name: APP_IDS.notification,
    // The live-sync copy of each new notification.
    produces: ['task-updates'],
    subscriptions: [
      createConsumer(
        { service: APP_IDS.notification, topic: 'reminders', handle: deliver },
        options.consumerRuntime,
      ),
    ],
    async register(app: HttpServer) {
      await app.register(notificationRoutes, { db: options.db });
      const verification = new EmailVerification({
        db: options.db,
        users: options.users,
        mailer,
        perHour: config.EMAIL_VERIFICATION_PER_HOUR,
      });
      await app.register(verificationRoutes, { verification, publicUrl: config.PUBLIC_URL });
    },
    async stop() {
      mailer?.close();
    },
  };
}
