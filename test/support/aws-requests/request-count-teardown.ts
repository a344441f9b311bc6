export { report as default } from './request-count-report';
